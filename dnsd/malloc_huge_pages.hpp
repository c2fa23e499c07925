#pragma once
// dnsd runs with glibc's malloc asking the kernel for transparent huge pages
// (GLIBC_TUNABLES=glibc.malloc.hugetlb=1, glibc 2.35 and later). A million instances are about
// a gigabyte of small blocks: with 4 KiB pages, loading them from cache.json took some 300,000
// page faults, and with them more than half of the start-up (bench/memory: 4.7-5.1 s from exec
// to the first answer, 2.2-3.1 s with huge pages; the RSS is the same). The kernel gives them
// only where malloc asks (THP "madvise", Debian's default), and glibc reads the tunable at exec
// only, so the one way to set it for dnsd itself is to exec dnsd again with it.
//
// Called first thing in main(). Returns at once when the tunable is already set either way (so
// GLIBC_TUNABLES=glibc.malloc.hugetlb=0 keeps 4 KiB pages), when DNSD_MALLOC_HUGE_PAGES=0, under
// valgrind (an exec would leave the tool), or when the exec fails. In the new image it puts
// GLIBC_TUNABLES back as it was, so the programs dnsd starts inherit the caller's environment.
namespace dnsd {

void exec_with_malloc_huge_pages(char** argv);

}  // namespace dnsd
