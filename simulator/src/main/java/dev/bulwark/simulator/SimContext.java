package dev.bulwark.simulator;

/** What every simulated subject needs to act: where the services are, tokens, the HTTP client and the counters. */
record SimContext(SimulatorOptions options, Rest rest, Tokens tokens, RunStats stats) {}
