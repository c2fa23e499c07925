#pragma once
// A property check for fuzz targets: on failure, say which and abort, so libFuzzer keeps the
// input as a crash (assert() would vanish under NDEBUG in RelWithDebInfo builds).
#include <cstdio>
#include <cstdlib>

#define FUZZ_CHECK(condition, what)                                                      \
    do {                                                                                 \
        if (!(condition)) {                                                              \
            std::fprintf(stderr, "FUZZ_CHECK failed: %s (%s) at %s:%d\n", what, #condition, \
                         __FILE__, __LINE__);                                            \
            std::abort();                                                                \
        }                                                                                \
    } while (false)
