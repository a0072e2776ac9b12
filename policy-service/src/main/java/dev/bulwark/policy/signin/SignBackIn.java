package dev.bulwark.policy.signin;

import dev.bulwark.policy.signout.SignOutNotice;
import dev.bulwark.policy.signout.SignOutStore;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.time.Instant;

/**
 * An account that was required to sign out has signed in again: the sign-out is cleared and, when its data was
 * selectively wiped, its PIN is forgotten — both in one transaction.
 */
@ApplicationScoped
class SignBackIn {

    private final SignOutStore signOuts;
    private final PinStore pins;

    SignBackIn(SignOutStore signOuts, PinStore pins) {
        this.signOuts = signOuts;
        this.pins = pins;
    }

    @Transactional
    void signedBackIn(String tenantId, String userId, SignOutNotice notice, Instant at) {
        signOuts.clear(tenantId, userId, notice, at);
        if (notice.selectiveWipe()) {
            pins.reset(tenantId, userId, notice.appId(), at);
        }
    }
}
