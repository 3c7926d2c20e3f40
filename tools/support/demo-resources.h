/*
 * The representations lpwan-coap-server's demonstration resources serve. They are plain
 * functions of their inputs so that a test can predict every byte a client should receive.
 */
#ifndef LPWAN_TOOLS_DEMO_RESOURCES_H
#define LPWAN_TOOLS_DEMO_RESOURCES_H

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace lpwan
{
namespace tools
{

/// /hello.
constexpr const char* kHelloText = "Hello, world!";

/// /large: `size` bytes of 50-byte text lines, numbered from 1 (modulo 10000):
///   "0001 abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQR\n"
/// and the last one cut at `size`. Numbered lines make a block delivered out of
/// place or twice visible at a glance.
std::vector<uint8_t> LargeRepresentation(size_t size);

/// /upload's answer: "received N bytes sha256=HEX" (the SHA-256 of the reassembled body,
/// computed with mbedTLS), so the client can check the server got exactly what it sent.
std::string UploadSummary(const std::vector<uint8_t>& body);

/// /.well-known/core in CoRE Link Format (RFC 6690).
std::string LinkFormat();

} // namespace tools
} // namespace lpwan

#endif // LPWAN_TOOLS_DEMO_RESOURCES_H
