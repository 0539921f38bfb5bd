/*
 * Force-included when compiling llama.cpp's own examples/simple/simple.cpp for
 * the parity test: the example leaves the thread count at its default, which
 * spin-waits for a minute on a 2-core machine. Nothing else is changed.
 */
#include "llama.h"
static inline struct llama_context_params bonsai_one_thread_params(void) {
  struct llama_context_params params = llama_context_default_params();
  params.n_threads = 1;
  params.n_threads_batch = 1;
  return params;
}
#define llama_context_default_params bonsai_one_thread_params
