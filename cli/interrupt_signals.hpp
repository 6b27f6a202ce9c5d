#pragma once

namespace benchctl {

// Routes SIGINT and SIGTERM to `handler` (sigaction, no SA_RESTART), so Ctrl-C and a polite kill
// both ask the running command to stop and report what it has. The handler must be
// async-signal-safe.
void handle_interrupt_signals(void (*handler)(int));

}  // namespace benchctl
