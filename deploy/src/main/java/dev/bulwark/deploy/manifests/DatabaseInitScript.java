package dev.bulwark.deploy.manifests;

import dev.bulwark.deploy.BulwarkService;

/**
 * The SQL the PostgreSQL container runs on its first start: one database per service, as the local stack creates
 * them, because no service reads another's database.
 */
public final class DatabaseInitScript {

    private DatabaseInitScript() {}

    /** {@code CREATE DATABASE} for every service's database, run by the image's entrypoint on an empty data folder. */
    public static String sql() {
        StringBuilder sql = new StringBuilder(GeneratedFiles.stamp("--", "dev.bulwark.deploy.BulwarkService"))
                .append("-- Run once by the postgres image's entrypoint, on an empty data folder only.\n");
        for (BulwarkService service : BulwarkService.services()) {
            sql.append("CREATE DATABASE ").append(service.database()).append(";\n");
        }
        return sql.toString();
    }
}
