package dev.bulwark.assignment.catalogue;

/**
 * How an app reaches devices, which decides what can be assigned: the MDM agent can only install, update or remove an
 * app it can deploy, while a store-link-only app reaches people solely through the web Company Portal's store link.
 */
public enum AppDistribution {
    /** The MDM agent can install it (a package or a managed store reference); unmanaged devices use the store link. */
    MANAGED,
    /** Only a public store link: users fetch it themselves, so it can only ever be Available, and never to devices. */
    STORE_LINK_ONLY
}
