package dev.bulwark.policy.signin;

import dev.bulwark.policy.signout.SignOutNotice;
import dev.bulwark.policy.signout.SignOutStore;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * An account that was required to sign out has signed in again: the sign-outs are cleared and, where its data was
 * selectively wiped, its PIN is forgotten (on that installation only, for an unmanaged sign-out) — all in one
 * transaction.
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
    void signedBackIn(String tenantId, String userId, List<SignOutNotice> notices, Instant at) {
        for (SignOutNotice notice : notices) {
            signOuts.clear(tenantId, userId, notice, at);
            if (notice.selectiveWipe()) {
                Optional<String> installation =
                        notice.oneInstallation() ? Optional.of(notice.registrationId()) : Optional.empty();
                pins.reset(tenantId, userId, notice.appId(), installation, at);
            }
        }
    }
}
