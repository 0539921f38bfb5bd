// llama.cpp's tools/batched-bench/main.cpp, plus one call: llama.cpp's common log
// prints the results from a worker thread, and log.h asks callers to flush it
// before exit, or the last lines (the results) can be lost.
#include "log.h"

int llama_batched_bench(int argc, char ** argv);

int main(int argc, char ** argv) {
    const int status = llama_batched_bench(argc, argv);
    common_log_flush(common_log_main());
    return status;
}
