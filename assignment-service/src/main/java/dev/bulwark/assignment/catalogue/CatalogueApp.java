package dev.bulwark.assignment.catalogue;

import dev.bulwark.rules.OsPlatform;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.Table;
import java.io.Serializable;
import java.time.Instant;
import java.util.Objects;

/** An app in a tenant's catalogue, for one platform, with its store or package reference. */
@Entity
@Table(name = "catalogue_app")
@IdClass(CatalogueApp.Key.class)
public class CatalogueApp {

    /** The catalogue's primary key: apps are unique per tenant. */
    public static class Key implements Serializable {
        public String tenantId;
        public String appId;

        @Override
        public boolean equals(Object other) {
            return other instanceof Key key && key.tenantId.equals(tenantId) && key.appId.equals(appId);
        }

        @Override
        public int hashCode() {
            return Objects.hash(tenantId, appId);
        }
    }

    @Id
    @Column(name = "tenant_id")
    public String tenantId;

    @Id
    @Column(name = "app_id")
    public String appId;

    public String name;

    @Enumerated(EnumType.STRING)
    public OsPlatform platform;

    public String publisher;

    @Column(name = "store_ref")
    public String storeRef;

    @Column(name = "protected_app")
    public boolean protectedApp;

    public String description;

    @Enumerated(EnumType.STRING)
    public AppDistribution distribution;

    @Column(name = "package_ref")
    public String packageRef;

    @Column(name = "current_version")
    public String currentVersion;

    /** The link a user follows to fetch the app themselves (the web Company Portal's "Open in store"). */
    public String storeUrl() {
        if (storeRef.startsWith("https://") || storeRef.startsWith("http://")) {
            return storeRef;
        }
        String id = java.net.URLEncoder.encode(storeRef, java.nio.charset.StandardCharsets.UTF_8);
        return switch (platform) {
            case ANDROID -> "https://play.google.com/store/apps/details?id=" + id;
            case IOS -> "https://apps.apple.com/search?term=" + id;
            case WINDOWS -> "https://apps.microsoft.com/search?query=" + id;
            case MACOS -> "https://apps.apple.com/search?term=" + id + "&platform=mac";
        };
    }

    @Column(name = "created_at", insertable = false, updatable = false)
    public Instant createdAt;

    /** Whether this app can be installed on a device of {@code devicePlatform} (an app is built for one platform). */
    public boolean runsOn(String devicePlatform) {
        return platform != null && platform.name().equalsIgnoreCase(devicePlatform);
    }
}
