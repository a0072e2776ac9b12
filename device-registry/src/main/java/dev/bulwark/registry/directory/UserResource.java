package dev.bulwark.registry.directory;

import dev.bulwark.kit.paging.Page;
import dev.bulwark.kit.paging.PageRequest;
import dev.bulwark.kit.problem.ProblemException;
import dev.bulwark.kit.security.Caller;
import dev.bulwark.kit.security.Roles;
import dev.bulwark.kit.validation.Limits;
import dev.bulwark.registry.shared.KeyLock;
import jakarta.annotation.security.RolesAllowed;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceException;
import jakarta.transaction.Transactional;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Email;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.hibernate.exception.ConstraintViolationException;

/**
 * The tenant's directory of users and their licences. A licence change is the directory's fact that decides whether
 * app protection applies to a user, so it is published (UserLicenseChanged) in the same transaction that stores it.
 */
@Path("/api/v1/users")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Tag(name = "Users")
public class UserResource {

    /** Letters, digits and the punctuation of e-mail-like ids; nothing that needs escaping in a path. */
    static final String ID_PATTERN = "[A-Za-z0-9._@-]{1,128}";

    static final String ID_MESSAGE = "letters, digits, '.', '_', '@' or '-', at most 128";

    /** What an admin sends to add a user; the id is generated when absent. */
    public record NewUser(
            @Size(max = Limits.ID) @Pattern(regexp = ID_PATTERN, message = ID_MESSAGE) String userId,
            @NotBlank @Size(max = 200) String displayName,
            @Email @Size(max = 320) String email) {}

    /** The licence state an admin sets; {@code sku} defaults to the configured product when licensing. */
    public record LicenceChange(
            @NotNull Boolean licensed,
            @Size(max = Limits.SHORT) @Pattern(regexp = "[A-Z0-9_]{1,64}", message = "upper-case SKU") String sku) {}

    /** The account state an admin sets: false disables the account, true enables it again. */
    public record AccountChange(@NotNull Boolean enabled) {}

    /** A user as the directory shows it; {@code enabled} is false while the account is disabled. */
    public record UserView(
            String userId,
            String displayName,
            String email,
            boolean licensed,
            String sku,
            boolean enabled,
            Instant createdAt) {
        static UserView of(DirectoryUser user) {
            return new UserView(
                    user.userId, user.displayName, user.email, user.licensed, user.sku, user.enabled, user.createdAt);
        }
    }

    private final EntityManager entityManager;
    private final Caller caller;
    private final Directory directory;
    private final Licences licences;
    private final Accounts accounts;
    private final KeyLock keyLock;

    UserResource(
            EntityManager entityManager,
            Caller caller,
            Directory directory,
            Licences licences,
            Accounts accounts,
            KeyLock keyLock) {
        this.entityManager = entityManager;
        this.caller = caller;
        this.directory = directory;
        this.licences = licences;
        this.accounts = accounts;
        this.keyLock = keyLock;
    }

    @POST
    @Transactional
    @RolesAllowed(Roles.ADMIN)
    @Operation(summary = "Add a user to the tenant's directory (unlicensed); 409 if the id is taken")
    public Response create(@Valid @NotNull NewUser request) {
        String tenant = caller.tenantId();
        String userId = request.userId() == null ? UUID.randomUUID().toString() : request.userId();
        keyLock.lock("user", tenant, userId);
        if (directory.find(tenant, userId).isPresent()) {
            throw ProblemException.conflict("A user " + userId + " is already in this tenant's directory.");
        }
        DirectoryUser user = new DirectoryUser();
        user.tenantId = tenant;
        user.userId = userId;
        user.displayName = request.displayName();
        user.email = request.email();
        user.licensed = false;
        try {
            entityManager.persist(user);
            entityManager.flush();
        } catch (PersistenceException e) {
            if (e instanceof ConstraintViolationException || e.getCause() instanceof ConstraintViolationException) {
                // The identity-provider import created the same user meanwhile; it does not take the per-user lock.
                throw ProblemException.conflict("A user " + userId + " is already in this tenant's directory.");
            }
            throw e;
        }
        entityManager.refresh(user);
        return Response.created(URI.create("/api/v1/users/" + userId))
                .entity(UserView.of(user))
                .build();
    }

    @GET
    @Path("{userId}")
    @RolesAllowed({Roles.ADMIN, Roles.USER})
    @Operation(summary = "One user; an admin reads any, a user only themself")
    public UserView get(@PathParam("userId") @Size(max = Limits.ID) String userId) {
        if (!caller.isAdmin() && !caller.subject().equals(userId)) {
            throw ProblemException.forbidden("A user token may read only its own user.");
        }
        return directory
                .find(caller.tenantId(), userId)
                .map(UserView::of)
                .orElseThrow(() -> ProblemException.notFound("No user " + userId + " in this tenant's directory."));
    }

    @GET
    @RolesAllowed(Roles.ADMIN)
    @Operation(summary = "The tenant's users, by id, one page at a time (page from 0, size 1..100, default 20)")
    public Page<UserView> list(
            @QueryParam("page") @Size(max = Limits.SHORT) String page,
            @QueryParam("size") @Size(max = Limits.SHORT) String size) {
        PageRequest request = PageRequest.of(page, size);
        String tenant = caller.tenantId();
        long total = entityManager
                .createQuery("select count(u) from DirectoryUser u where u.tenantId = :tenant", Long.class)
                .setParameter("tenant", tenant)
                .getSingleResult();
        var users = entityManager
                .createQuery("from DirectoryUser where tenantId = :tenant order by userId", DirectoryUser.class)
                .setParameter("tenant", tenant)
                .setFirstResult(request.offset())
                .setMaxResults(request.size())
                .getResultList();
        return new Page<>(users, request.page(), request.size(), total).map(UserView::of);
    }

    @PUT
    @Path("{userId}/licence")
    @Transactional
    @RolesAllowed(Roles.ADMIN)
    @Operation(
            summary = "Give or take a user's licence",
            description = "Publishes UserLicenseChanged on bulwark.directory.v1 when the licence state or SKU changes;"
                    + " setting the state the user already has changes nothing and publishes nothing.")
    public UserView changeLicence(
            @PathParam("userId") @Size(max = Limits.ID) String userId, @Valid @NotNull LicenceChange request) {
        String tenant = caller.tenantId();
        DirectoryUser user = lockUser(tenant, userId);
        Licences.Licence licence = licences.requested(request.licensed(), Optional.ofNullable(request.sku()));
        if (licence.equals(Licences.Licence.of(user))) {
            return UserView.of(user);
        }
        user.licensed = licence.licensed();
        user.sku = licence.sku();
        licences.publishChange(tenant, userId, licence);
        return UserView.of(user);
    }

    @PUT
    @Path("{userId}/account")
    @Transactional
    @RolesAllowed(Roles.ADMIN)
    @Operation(
            summary = "Disable or enable a user's account",
            description = "{\"enabled\": false} disables the account, true enables it again. Publishes"
                    + " UserAccountChanged on bulwark.directory.v1 (key userId) when the state changes; setting the"
                    + " state the account already has changes nothing and publishes nothing. The user, their devices,"
                    + " app instances, licence and groups stay; app protection's 'disabled account' action (block"
                    + " access or wipe data) applies while the account is disabled.")
    public UserView changeAccount(
            @PathParam("userId") @Size(max = Limits.ID) String userId, @Valid @NotNull AccountChange request) {
        DirectoryUser user = lockUser(caller.tenantId(), userId);
        accounts.setEnabled(user, request.enabled());
        return UserView.of(user);
    }

    /** The user under a row lock, so that two changes of the same user are applied one after the other. */
    private DirectoryUser lockUser(String tenant, String userId) {
        DirectoryUser user = entityManager.find(
                DirectoryUser.class,
                new DirectoryUser.Key(tenant, userId),
                jakarta.persistence.LockModeType.PESSIMISTIC_WRITE);
        if (user == null) {
            throw ProblemException.notFound("No user " + userId + " in this tenant's directory.");
        }
        return user;
    }
}
