#include "interrupt_signals.hpp"

#include <signal.h>

namespace benchctl {

void handle_interrupt_signals(void (*handler)(int)) {
    struct sigaction action {};
    action.sa_handler = handler;
    sigemptyset(&action.sa_mask);
    sigaction(SIGINT, &action, nullptr);
    sigaction(SIGTERM, &action, nullptr);
}

}  // namespace benchctl
