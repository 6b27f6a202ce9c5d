#pragma once

// benchctl's exit codes, one list for every subcommand (README.md, "Exit codes" of each command).
// Several names share a number: what "1" means depends on the command that returns it.
namespace benchctl {

// run: some cells failed (their files say why).
inline constexpr int k_exit_cells_failed = 1;
// load: no request completed, so the figures measure nothing.
inline constexpr int k_exit_nothing_completed = 1;
// compare, history check: a figure got worse beyond the noise.
inline constexpr int k_exit_regression = 1;
// Bad input: flags, matrix file, run directory (the message says what, where and what to do).
inline constexpr int k_exit_usage = 2;
// validate, list: the matrix file has problems (each printed as file:line:col).
inline constexpr int k_exit_invalid = 2;
// A bug of benchctl's: an exception nobody expected.
inline constexpr int k_exit_internal = 3;
// An output could not be written: no space, a size limit (the measurement is kept elsewhere).
inline constexpr int k_exit_storage = 4;
// run: a cell missed a threshold of the matrix (docs/matrix.md). k6's code, so that CI scripts
// that know k6 read it the same way; it cannot be taken for 1, 2, 3 or 130.
inline constexpr int k_exit_threshold_failed = 99;
// Interrupted by SIGINT or SIGTERM (128 + SIGINT, as shells report it).
inline constexpr int k_exit_interrupted = 130;

}  // namespace benchctl
