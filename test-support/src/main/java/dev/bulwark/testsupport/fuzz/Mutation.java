package dev.bulwark.testsupport.fuzz;

/**
 * One invalid request the fuzzer sends: the operation it aims at, how it was broken, which field or parameter it broke
 * ({@code targets[0].groupId}, {@code page}, {@code body}) and the raw request itself.
 */
public record Mutation(ApiOperation operation, MutationKind kind, String field, SocketHttp.Request request) {

    /** {@code POST /api/v1/apps OVERSIZE_STRING name}: how a finding names the request. */
    public String describe() {
        return operation.key() + " " + kind + " " + field;
    }
}
