package dev.bulwark.signoutbridge;

/**
 * The provider answered, but can never carry out this sign-out as configured: the tenant's realm does not exist there,
 * or the bridge's service account may not manage its users. Retrying would hold back every other tenant's sign-outs
 * behind this one, so the record is dead-lettered with this reason (and counted) until the configuration is mended.
 */
public final class RefusedSignOutException extends Exception {

    public RefusedSignOutException(String message) {
        super(message);
    }
}
