package dev.bulwark.registry.imports;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import dev.bulwark.registry.groups.GroupType;
import jakarta.validation.constraints.Email;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

/**
 * One line of an identity provider's directory feed, told apart by its {@code type}. The constraints are the single
 * endpoints' (POST users, POST groups, POST groups/{id}/members), except that ids are required: an import is an
 * upsert, and only a stable id makes importing the same feed twice change nothing.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, include = JsonTypeInfo.As.PROPERTY, property = "type")
@JsonSubTypes({
    @JsonSubTypes.Type(value = ImportLine.UserLine.class, name = "user"),
    @JsonSubTypes.Type(value = ImportLine.GroupLine.class, name = "group"),
    @JsonSubTypes.Type(value = ImportLine.MembershipLine.class, name = "membership")
})
public sealed interface ImportLine {

    String ID_PATTERN = "[A-Za-z0-9._@-]{1,128}";
    String ID_MESSAGE = "letters, digits, '.', '_', '@' or '-', at most 128";
    /** PostgreSQL cannot store a NUL character in text; refuse it with the line rather than fail at the database. */
    String NO_NUL = "[^\\u0000]*";

    String NO_NUL_MESSAGE = "must not contain a NUL character";

    /**
     * A user as the identity provider has them: {@code displayName} and {@code email} replace what the directory
     * holds; {@code licensed} absent leaves the licence alone (licences may be managed in Bulwark instead).
     */
    record UserLine(
            @NotNull @Pattern(regexp = ID_PATTERN, message = ID_MESSAGE) String userId,
            @NotBlank @Size(max = 200) @Pattern(regexp = NO_NUL, message = NO_NUL_MESSAGE) String displayName,
            @Email @Size(max = 320) @Pattern(regexp = NO_NUL, message = NO_NUL_MESSAGE) String email,
            Boolean licensed,
            @Pattern(regexp = "[A-Z0-9_]{1,64}", message = "upper-case SKU") String sku)
            implements ImportLine {}

    /** A group, created when absent, renamed when its name differs; its kind never changes. */
    record GroupLine(
            @NotNull @Pattern(regexp = ID_PATTERN, message = ID_MESSAGE) String groupId,
            @NotBlank @Size(max = 200) @Pattern(regexp = NO_NUL, message = NO_NUL_MESSAGE) String name,
            @NotNull GroupType kind)
            implements ImportLine {}

    /** A member to add to a group: a userId for a USER group, an active deviceId for a DEVICE group. */
    record MembershipLine(
            @NotNull @Pattern(regexp = ID_PATTERN, message = ID_MESSAGE) String groupId,
            @NotBlank @Size(max = 128) @Pattern(regexp = NO_NUL, message = NO_NUL_MESSAGE) String memberId)
            implements ImportLine {}
}
