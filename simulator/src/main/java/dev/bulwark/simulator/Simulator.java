package dev.bulwark.simulator;

import dev.bulwark.events.AppInstallRequested;
import dev.bulwark.events.AppUninstallRequested;
import dev.bulwark.events.AppUpdateRequested;
import dev.bulwark.events.ComplianceFailed;
import dev.bulwark.events.ConfigurationProfileApplyRequested;
import dev.bulwark.events.ConfigurationProfileRemoveRequested;
import dev.bulwark.events.ManagedRemediationRequested;
import dev.bulwark.events.RemediationAttempted;
import dev.bulwark.events.RemediationStatus;
import dev.bulwark.events.SignOutRequired;
import dev.bulwark.events.UnmanagedRemediationRequested;
import dev.bulwark.simulator.Fleet.AccountPlan;
import dev.bulwark.simulator.Fleet.AppPlan;
import dev.bulwark.simulator.Fleet.DevicePlan;
import dev.bulwark.simulator.Fleet.TenantPlan;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import org.apache.avro.specific.SpecificRecord;

/**
 * The command-line fleet: sets the tenants up as their admin would, enrolls the devices and registers the app
 * accounts, has them check in at the given rate for the given time, reacts to what the topics tell them, and ends
 * with a summary (and an HTML report). Exit code 0 when the run completed, 1 on a setup failure, 2 on bad options.
 */
public final class Simulator {

    private final SimContext ctx;
    private final Fleet fleet;
    private final List<SimulatedSubject> subjects = new ArrayList<>();
    private final Map<String, SimulatedSubject> bySubjectId = new ConcurrentHashMap<>();
    private final ExecutorService workers;
    /** Delayed reactions (a signed-out account signing in again); the work itself runs on {@link #workers}. */
    private final ScheduledExecutorService later = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "simulator-later");
        t.setDaemon(true);
        return t;
    });
    /** Set from another thread (Ctrl-C in ./bulwark up --demo): the run ends its phases early and sums up. */
    private volatile boolean stopRequested;

    private final Semaphore inFlight;
    private final AtomicReference<String> phase = new AtomicReference<>("setting up");
    private final AtomicLong phaseDone = new AtomicLong();
    private volatile long phaseTotal = 1;
    private final String command;

    Simulator(SimulatorOptions options, String command) {
        RunStats stats = new RunStats();
        this.ctx = new SimContext(options, new Rest(), new Tokens(options.keysDir(), options.issuer()), stats);
        this.fleet = FleetGenerator.generate(options);
        this.workers = Executors.newFixedThreadPool(options.concurrency());
        this.inFlight = new Semaphore(options.concurrency() * 4);
        this.command = command;
        long seed = options.seed();
        int n = 0;
        for (TenantPlan tenant : fleet.tenants()) {
            for (DevicePlan device : tenant.devices()) {
                subjects.add(new ManagedDevice(device, seed * 31 + n++));
            }
            for (AppPlan app : tenant.apps()) {
                for (AccountPlan account : app.accounts()) {
                    subjects.add(new AppAccount(app, account, seed * 31 + n++));
                }
            }
        }
    }

    public static void main(String[] args) {
        System.exit(cli(List.of(args), "simulate", options -> {}));
    }

    /** Something to do once the options are read and before the fleet runs (the demo seed). */
    interface Prelude {
        void run(SimulatorOptions options) throws InterruptedException;
    }

    /** Parses, runs the prelude and the fleet, prints the summary; returns the process exit code. */
    static int cli(List<String> args, String name, Prelude prelude) {
        SimulatorOptions options;
        try {
            options = OptionsParser.parse(args);
        } catch (OptionsParser.HelpRequested e) {
            System.out.print(OptionsParser.USAGE);
            return 0;
        } catch (IllegalArgumentException e) {
            System.err.println(name + ": " + e.getMessage());
            System.err.print(OptionsParser.USAGE);
            return 2;
        }
        try {
            prelude.run(options);
            Summary summary = new Simulator(options, name + " " + String.join(" ", args)).run();
            System.out.print(summary.toText());
            if (options.report().isPresent()) {
                Files.writeString(options.report().get(), HtmlReport.render(summary), StandardCharsets.UTF_8);
                System.out.println("HTML report: " + options.report().get().toAbsolutePath());
            }
            return 0;
        } catch (IllegalStateException | IOException e) {
            System.err.println("\n" + name + ": " + e.getMessage());
            return 1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 130;
        }
    }

    /**
     * Asks a running {@link #run()} to end soon: the current phase stops submitting work, the drain is skipped, and
     * {@code run} returns the summary of what happened so far.
     */
    void requestStop() {
        stopRequested = true;
    }

    /** The whole run; returns its summary. */
    Summary run() throws InterruptedException {
        SimulatorOptions o = ctx.options();
        long start = System.nanoTime();
        Set<String> tenants = fleet.tenants().stream().map(TenantPlan::tenantId).collect(Collectors.toSet());
        try (EventWatcher watcher = new EventWatcher(o.kafka(), tenants, ctx.stats(), this::onEvent);
                ProgressLine progress = new ProgressLine(System.err, o.progress(), this::progressLine)) {
            watcher.start();
            setUp();
            join();
            reportPhase();
            drain();
        } finally {
            later.shutdownNow();
            workers.shutdownNow();
        }
        return summary(Duration.ofNanos(System.nanoTime() - start));
    }

    private void setUp() throws InterruptedException {
        startPhase("directory import + policies", fleet.tenants().size());
        for (TenantPlan tenant : fleet.tenants()) {
            TenantSetup.run(ctx, tenant);
            phaseDone.incrementAndGet();
        }
        startPhase(
                "waiting for policy-service to learn the licences",
                fleet.tenants().size());
        for (TenantPlan tenant : fleet.tenants()) {
            if (!TenantSetup.awaitPolicyReady(ctx, tenant, Duration.ofSeconds(60))) {
                ctx.stats().action("policyNotReadyInTime");
            }
            phaseDone.incrementAndGet();
        }
    }

    private void join() throws InterruptedException {
        startPhase("enrolling / registering + sign-in", subjects.size());
        for (SimulatedSubject subject : subjects) {
            if (stopRequested) {
                break;
            }
            submit(() -> {
                if (subject.join(ctx)) {
                    bySubjectId.put(subject.subjectId(), subject);
                }
                phaseDone.incrementAndGet();
            });
        }
        awaitIdle();
    }

    private void reportPhase() throws InterruptedException {
        SimulatorOptions o = ctx.options();
        List<SimulatedSubject> joined = new ArrayList<>(bySubjectId.values());
        joined.sort((a, b) -> a.subjectId().compareTo(b.subjectId()));
        Collections.shuffle(joined, new Random(o.seed()));
        if (joined.isEmpty()) {
            throw new IllegalStateException("no device enrolled and no app instance registered; see the HTTP errors");
        }
        RateLimiter limiter = new RateLimiter(o.rate());
        long end = System.nanoTime() + o.duration().toNanos();
        startPhase("reporting", Math.max(1, (long) (o.rate() * o.duration().toSeconds())));
        int i = 0;
        // Everyone reports at least once (the first report carries the non-compliant states), then round after round.
        while ((System.nanoTime() < end || i < joined.size()) && !stopRequested) {
            limiter.acquire();
            SimulatedSubject subject = joined.get(i++ % joined.size());
            submit(() -> {
                subject.report(ctx);
                phaseDone.incrementAndGet();
            });
        }
        awaitIdle();
    }

    private void drain() throws InterruptedException {
        long deadline = System.nanoTime() + ctx.options().drain().toNanos();
        startPhase("waiting for expected sign-outs", expecting());
        while (System.nanoTime() < deadline && expecting() > 0 && !stopRequested) {
            phaseDone.set(phaseTotal - expecting());
            Thread.sleep(250);
        }
        awaitIdle();
    }

    private long expecting() {
        return subjects.stream().filter(SimulatedSubject::expectingSignOut).count();
    }

    private void onEvent(SpecificRecord event) {
        if (event instanceof SignOutRequired e) {
            find(e.getSubjectId()).ifPresent(s -> {
                s.onSignOut(ctx, e);
                signInAgainLater(s);
            });
        } else if (event instanceof ComplianceFailed e) {
            find(e.getSubjectId()).ifPresent(s -> s.onComplianceFailed(ctx));
        } else if (event instanceof RemediationAttempted e && e.getStatus() == RemediationStatus.PENDING) {
            find(e.getSubjectId()).ifPresent(s -> react(() -> s.onRemediationPrompt(ctx, e.getAttemptId())));
        } else if (event instanceof ManagedRemediationRequested e) {
            find(e.getDeviceId()).ifPresent(s -> react(() -> s.onRemediationPrompt(ctx, e.getCommandId())));
        } else if (event instanceof UnmanagedRemediationRequested e) {
            find(e.getRegistrationId()).ifPresent(s -> react(() -> s.onRemediationPrompt(ctx, e.getCommandId())));
        } else if (event instanceof AppInstallRequested e) {
            device(e.getDeviceId()).ifPresent(d -> react(() -> d.obey(ctx, e.getAppId(), e.getVersion())));
        } else if (event instanceof AppUpdateRequested e) {
            device(e.getDeviceId()).ifPresent(d -> react(() -> d.obey(ctx, e.getAppId(), e.getVersion())));
        } else if (event instanceof AppUninstallRequested e) {
            device(e.getDeviceId()).ifPresent(d -> react(() -> d.obey(ctx, e.getAppId(), null)));
        } else if (event instanceof ConfigurationProfileApplyRequested e) {
            device(e.getDeviceId())
                    .ifPresent(d -> react(() -> d.applyProfile(
                            ctx, e.getCommandId(), e.getProfileId(), e.getProfileVersion(), e.getProfileType())));
        } else if (event instanceof ConfigurationProfileRemoveRequested e) {
            device(e.getDeviceId())
                    .ifPresent(d -> react(() -> d.removeProfile(ctx, e.getCommandId(), e.getProfileId())));
        }
    }

    /** The user signs back in a little after the sign-out (--re-sign-in-delay), as people do when the app asks them to. */
    private void signInAgainLater(SimulatedSubject subject) {
        try {
            later.schedule(
                    () -> react(() -> subject.signInAgain(ctx)),
                    ctx.options().reSignInDelay().toMillis(),
                    TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            // the run is over
        }
    }

    private java.util.Optional<SimulatedSubject> find(String subjectId) {
        return java.util.Optional.ofNullable(subjectId).map(bySubjectId::get);
    }

    private java.util.Optional<ManagedDevice> device(String deviceId) {
        return find(deviceId).filter(ManagedDevice.class::isInstance).map(ManagedDevice.class::cast);
    }

    /** Reactions skip the rate limit (a device reacts when told) but not the worker pool. */
    private void react(Runnable reaction) {
        try {
            workers.execute(reaction);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            // the run is over
        }
    }

    private void submit(Runnable task) throws InterruptedException {
        inFlight.acquire();
        workers.execute(() -> {
            try {
                task.run();
            } catch (RuntimeException e) {
                ctx.stats().action("taskErrors");
            } finally {
                inFlight.release();
            }
        });
    }

    private void awaitIdle() throws InterruptedException {
        int all = ctx.options().concurrency() * 4;
        if (!inFlight.tryAcquire(all, 2, TimeUnit.MINUTES)) {
            throw new IllegalStateException("requests still running after 2 minutes");
        }
        inFlight.release(all);
    }

    private void startPhase(String name, long total) {
        phaseDone.set(0);
        phaseTotal = Math.max(1, total);
        phase.set(name);
    }

    private String progressLine() {
        RunStats s = ctx.stats();
        return String.format(
                "%s %-34s reports %,d  non-compl.→signed out %,d  remed. %,d/%,d  events %,d",
                ProgressLine.bar(phaseDone.get(), phaseTotal, 24),
                phase.get(),
                s.actionCount("reports"),
                s.signOuts.sum(),
                s.remediationsSucceeded.sum(),
                s.remediationsTried.sum(),
                s.events().values().stream().mapToLong(Long::longValue).sum());
    }

    private Summary summary(Duration elapsed) {
        RunStats s = ctx.stats();
        List<Long> signOutSamples = new ArrayList<>(s.signOutLatencies);
        return new Summary(
                ctx.options().runId(),
                fleet.tenants().stream().map(TenantPlan::tenantId).toList(),
                fleet.deviceCount(),
                fleet.appCount(),
                fleet.accountCount(),
                fleet.userCount(),
                elapsed,
                s.actions(),
                s.events(),
                s.httpErrors(),
                s.remediationsTried.sum(),
                s.remediationsSucceeded.sum(),
                s.remediationsFailed.sum(),
                s.signOuts.sum(),
                expecting(),
                Percentiles.of(signOutSamples),
                Percentiles.of(new ArrayList<>(s.failedLatencies)),
                signOutSamples,
                s.messages(),
                command);
    }
}
