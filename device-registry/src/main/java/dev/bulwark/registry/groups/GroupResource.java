package dev.bulwark.registry.groups;

import dev.bulwark.kit.paging.Page;
import dev.bulwark.kit.paging.PageRequest;
import dev.bulwark.kit.problem.ProblemException;
import dev.bulwark.kit.security.Caller;
import dev.bulwark.kit.security.Roles;
import dev.bulwark.kit.validation.Limits;
import dev.bulwark.registry.shared.KeyLock;
import jakarta.annotation.security.RolesAllowed;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.time.Instant;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** The tenant admin's groups of users or devices, and their members; each membership change is published. */
@Path("/api/v1/groups")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Tag(name = "Groups")
@RolesAllowed(Roles.ADMIN)
public class GroupResource {

    private static final String ID_PATTERN = "[A-Za-z0-9._@-]{1,128}";
    private static final String ID_MESSAGE = "letters, digits, '.', '_', '@' or '-', at most 128";

    /** What an admin sends to create a group; the id is generated when absent. */
    public record NewGroup(
            @Size(max = Limits.ID) @Pattern(regexp = ID_PATTERN, message = ID_MESSAGE) String groupId,
            @NotBlank @Size(max = 200) String name,
            @NotNull GroupType kind) {}

    /** A member to add: a userId for a USER group, a deviceId for a DEVICE group. */
    public record NewMember(@NotBlank @Size(max = 128) String memberId) {}

    /** A group as the directory shows it. */
    public record GroupView(String groupId, String name, GroupType kind, Instant createdAt) {
        static GroupView of(DirectoryGroup group) {
            return new GroupView(group.groupId, group.name, group.kind, group.createdAt);
        }
    }

    /** One member of a group. */
    public record MemberView(String groupId, String memberId, GroupType kind, Instant addedAt) {}

    private final EntityManager entityManager;
    private final Caller caller;
    private final GroupMemberships memberships;
    private final KeyLock keyLock;

    GroupResource(EntityManager entityManager, Caller caller, GroupMemberships memberships, KeyLock keyLock) {
        this.entityManager = entityManager;
        this.caller = caller;
        this.memberships = memberships;
        this.keyLock = keyLock;
    }

    @POST
    @Transactional
    @Operation(summary = "Create a group of users or of devices; 409 if the id is taken")
    public Response create(@Valid @NotNull NewGroup request) {
        String tenant = caller.tenantId();
        String groupId = request.groupId() == null ? UUID.randomUUID().toString() : request.groupId();
        keyLock.lock("group", tenant, groupId);
        if (entityManager.find(DirectoryGroup.class, new DirectoryGroup.Key(tenant, groupId)) != null) {
            throw ProblemException.conflict("A group " + groupId + " already exists in this tenant.");
        }
        DirectoryGroup group = new DirectoryGroup();
        group.tenantId = tenant;
        group.groupId = groupId;
        group.name = request.name();
        group.kind = request.kind();
        entityManager.persist(group);
        entityManager.flush();
        entityManager.refresh(group);
        return Response.created(URI.create("/api/v1/groups/" + groupId))
                .entity(GroupView.of(group))
                .build();
    }

    @GET
    @Operation(summary = "The tenant's groups, by id, one page at a time")
    public Page<GroupView> list(
            @QueryParam("page") @Size(max = Limits.SHORT) String page,
            @QueryParam("size") @Size(max = Limits.SHORT) String size) {
        PageRequest request = PageRequest.of(page, size);
        String tenant = caller.tenantId();
        long total = entityManager
                .createQuery("select count(g) from DirectoryGroup g where g.tenantId = :tenant", Long.class)
                .setParameter("tenant", tenant)
                .getSingleResult();
        var groups = entityManager
                .createQuery("from DirectoryGroup where tenantId = :tenant order by groupId", DirectoryGroup.class)
                .setParameter("tenant", tenant)
                .setFirstResult(request.offset())
                .setMaxResults(request.size())
                .getResultList();
        return new Page<>(groups, request.page(), request.size(), total).map(GroupView::of);
    }

    @GET
    @Path("{groupId}")
    @Operation(summary = "One group")
    public GroupView get(@PathParam("groupId") @Size(max = Limits.ID) String groupId) {
        return GroupView.of(group(groupId));
    }

    @GET
    @Path("{groupId}/members")
    @Operation(summary = "A group's members, one page at a time")
    public Page<MemberView> members(
            @PathParam("groupId") @Size(max = Limits.ID) String groupId,
            @QueryParam("page") @Size(max = Limits.SHORT) String page,
            @QueryParam("size") @Size(max = Limits.SHORT) String size) {
        PageRequest request = PageRequest.of(page, size);
        DirectoryGroup group = group(groupId);
        long total = entityManager
                .createQuery(
                        "select count(m) from GroupMember m where m.tenantId = :tenant and m.groupId = :group",
                        Long.class)
                .setParameter("tenant", group.tenantId)
                .setParameter("group", groupId)
                .getSingleResult();
        var members = entityManager
                .createQuery(
                        "from GroupMember where tenantId = :tenant and groupId = :group order by memberId",
                        GroupMember.class)
                .setParameter("tenant", group.tenantId)
                .setParameter("group", groupId)
                .setFirstResult(request.offset())
                .setMaxResults(request.size())
                .getResultList();
        return new Page<>(members, request.page(), request.size(), total)
                .map(m -> new MemberView(groupId, m.memberId, group.kind, m.addedAt));
    }

    @POST
    @Path("{groupId}/members")
    @Transactional
    @Operation(
            summary = "Add a user (USER group) or an enrolled device (DEVICE group)",
            description = "201 and GroupMembershipChanged(ADDED) on bulwark.directory.v1, keyed by the member;"
                    + " 200 and nothing published when it is a member already; 422 when the member does not exist.")
    public Response addMember(
            @PathParam("groupId") @Size(max = Limits.ID) String groupId, @Valid @NotNull NewMember request) {
        DirectoryGroup group = group(groupId);
        boolean added = memberships.add(group, request.memberId());
        MemberView view = new MemberView(groupId, request.memberId(), group.kind, null);
        return added
                ? Response.created(URI.create("/api/v1/groups/" + groupId + "/members/" + request.memberId()))
                        .entity(view)
                        .build()
                : Response.ok(view).build();
    }

    @DELETE
    @Path("{groupId}/members/{memberId}")
    @Transactional
    @Operation(summary = "Remove a member: 204 and GroupMembershipChanged(REMOVED); 404 if it is not a member")
    public void removeMember(
            @PathParam("groupId") @Size(max = Limits.ID) String groupId,
            @PathParam("memberId") @Size(max = Limits.ID) String memberId) {
        if (!memberships.remove(group(groupId), memberId)) {
            throw ProblemException.notFound(memberId + " is not a member of group " + groupId + ".");
        }
    }

    private DirectoryGroup group(String groupId) {
        DirectoryGroup group =
                entityManager.find(DirectoryGroup.class, new DirectoryGroup.Key(caller.tenantId(), groupId));
        if (group == null) {
            throw ProblemException.notFound("No group " + groupId + " in this tenant.");
        }
        return group;
    }
}
