package dev.bulwark.registry.imports;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.bulwark.kit.security.Caller;
import dev.bulwark.kit.security.Roles;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Validator;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.ExampleObject;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.logging.Logger;

/**
 * The identity provider's bulk feed: one admin request carrying thousands of users, groups and memberships as
 * newline-delimited JSON, read as it streams in, staged, and applied to the directory all or nothing. It is the
 * production way the directory is filled; the single endpoints stay for corrections by hand.
 */
@Path("/api/v1/imports")
@Tag(name = "Directory import")
public class ImportResource {

    public static final String NDJSON = "application/x-ndjson";

    private static final Logger LOG = Logger.getLogger(ImportResource.class);

    private static final String EXAMPLE =
            """
            {"type":"group","groupId":"sales","name":"Sales","kind":"USER"}
            {"type":"user","userId":"alice","displayName":"Alice","email":"alice@contoso.com","licensed":true}
            {"type":"user","userId":"bob","displayName":"Bob","licensed":false}
            {"type":"membership","groupId":"sales","memberId":"alice"}
            """;

    private final Caller caller;
    private final ImportStaging staging;
    private final DirectoryImport directoryImport;
    private final ImportParser parser;
    private final int batchSize;
    private final int maxLineLength;

    ImportResource(
            Caller caller,
            ImportStaging staging,
            DirectoryImport directoryImport,
            ObjectMapper json,
            Validator validator,
            @ConfigProperty(name = "bulwark.registry.import.batch-size", defaultValue = "500") int batchSize,
            @ConfigProperty(name = "bulwark.registry.import.max-line-bytes", defaultValue = "16384")
                    int maxLineLength) {
        this.caller = caller;
        this.staging = staging;
        this.directoryImport = directoryImport;
        this.parser = new ImportParser(json, validator);
        this.batchSize = batchSize;
        this.maxLineLength = maxLineLength;
    }

    @POST
    @Consumes(NDJSON)
    @Produces(MediaType.APPLICATION_JSON)
    @RolesAllowed(Roles.ADMIN)
    @Operation(
            summary = "Import users, groups and memberships from an identity provider (NDJSON, streamed)",
            description = "One JSON object per line, told apart by `type`: `user` {userId, displayName, email?,"
                    + " licensed?, sku?}, `group` {groupId, name, kind USER|DEVICE}, `membership` {groupId,"
                    + " memberId}. Upserts: a user's displayName and email are replaced, `licensed` absent leaves the"
                    + " licence alone, `licensed: true` without sku keeps a licensed user's SKU (else the default);"
                    + " a group is created or renamed (its kind never changes); a member is added if absent. Each"
                    + " effective change publishes what the single endpoints publish (UserLicenseChanged,"
                    + " GroupMembershipChanged ADDED on bulwark.directory.v1); importing the same feed again"
                    + " publishes nothing. All or nothing: a bad line refuses the whole import, naming the line"
                    + " (problem+json member `line`, 1-based) and the field, and nothing is written. Memberships are"
                    + " only added; remove with DELETE groups/{id}/members/{memberId}.")
    @RequestBody(
            required = true,
            content =
                    @Content(
                            mediaType = NDJSON,
                            schema = @Schema(implementation = String.class, format = "ndjson"),
                            examples = @ExampleObject(name = "feed", value = EXAMPLE)))
    @APIResponse(
            responseCode = "200",
            description = "Applied; the counts of what changed",
            content =
                    @Content(
                            mediaType = MediaType.APPLICATION_JSON,
                            schema = @Schema(implementation = ImportSummary.class)))
    @APIResponse(
            responseCode = "400",
            description = "A malformed line (not JSON, unknown type or field, a rule broken, a user or group twice);"
                    + " `line` names it; nothing written",
            content = @Content(mediaType = "application/problem+json"))
    @APIResponse(
            responseCode = "422",
            description = "A line refers to a group or member the tenant does not have, or would change a group's"
                    + " kind; `line` names it; nothing written",
            content = @Content(mediaType = "application/problem+json"))
    public ImportSummary importDirectory(InputStream body) {
        String tenantId = caller.tenantId();
        String importId = UUID.randomUUID().toString();
        int swept = staging.discardAbandoned(Duration.ofHours(24));
        if (swept > 0) {
            LOG.infof("Dropped %d staged lines of abandoned imports", swept);
        }
        try {
            long lines = stage(importId, tenantId, body);
            ImportSummary summary = directoryImport.apply(importId, tenantId, lines);
            LOG.infof("Import %s for tenant %s: %s", importId, tenantId, summary);
            return summary;
        } finally {
            staging.discard(importId);
        }
    }

    /** Reads, checks and stages the body a batch at a time; returns how many lines it staged. */
    private long stage(String importId, String tenantId, InputStream body) {
        NdjsonLines lines = new NdjsonLines(body, maxLineLength);
        List<ImportStaging.StagedLine> batch = new ArrayList<>(batchSize);
        long count = 0;
        try {
            Optional<NdjsonLines.Line> line;
            while ((line = lines.next()).isPresent()) {
                long number = line.get().number();
                batch.add(new ImportStaging.StagedLine(
                        number, parser.parse(number, line.get().text())));
                count++;
                if (batch.size() == batchSize) {
                    staging.stage(importId, tenantId, batch);
                    batch.clear();
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("could not read the import body", e);
        }
        if (!batch.isEmpty()) {
            staging.stage(importId, tenantId, batch);
        }
        return count;
    }
}
