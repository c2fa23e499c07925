#pragma once
// Makes memory resident before the thread that will fill it gets there. A page fault is paid
// by whichever thread touches the page first; with transparent huge pages each fault zeroes
// 2 MiB, and in a virtual machine whose host must back the page too, one such fault was seen
// to take ~6 ms. A thread that must not pause (the control thread filling a snapshot copy) can
// have its memory faulted in by one that may (the snapshot writer).
#include <cstddef>

namespace dnsd::registry {

// Faults in the whole pages inside [p, p + bytes) for writing, without changing their contents
// (madvise MADV_POPULATE_WRITE, Linux 5.14): safe on memory another thread is writing. False
// when the kernel cannot (older kernels, unusual mappings): the pages then fault on first use,
// as they would have anyway.
bool prefault(void* p, std::size_t bytes);

}  // namespace dnsd::registry
