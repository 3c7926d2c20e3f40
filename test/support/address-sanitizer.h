/*
 * LPWAN_ASAN is defined when the test is built with AddressSanitizer (the sanitizer build,
 * LPWAN_SANITIZE=ON). g++ says so with __SANITIZE_ADDRESS__, clang with
 * __has_feature(address_sanitizer). Tests use it where ASan changes what they measure: its
 * allocator replaces glibc's (mallinfo2 reads 0) and its shadow memory inflates a process's peak.
 */

#ifndef LPWAN_TEST_SUPPORT_ADDRESS_SANITIZER_H
#define LPWAN_TEST_SUPPORT_ADDRESS_SANITIZER_H

#if defined(__SANITIZE_ADDRESS__)
#define LPWAN_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define LPWAN_ASAN 1
#endif
#endif

#endif
