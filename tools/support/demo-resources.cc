/*
 * Demonstration resource representations; see demo-resources.h.
 */

#include "demo-resources.h"

#include "hex.h"

#include <mbedtls/sha256.h>

#include <cstdio>

namespace lpwan
{
namespace tools
{

std::vector<uint8_t>
LargeRepresentation(size_t size)
{
    static const char kLetters[] = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQR"; // 44
    std::vector<uint8_t> out;
    out.reserve(size + 50);
    for (unsigned line = 1; out.size() < size; ++line)
    {
        char number[16];
        std::snprintf(number, sizeof(number), "%04u ", line % 10000);
        out.insert(out.end(), number, number + 5);
        out.insert(out.end(), kLetters, kLetters + 44);
        out.push_back('\n');
    }
    out.resize(size);
    return out;
}

std::string
UploadSummary(const std::vector<uint8_t>& body)
{
    std::vector<uint8_t> digest(32);
    mbedtls_sha256_ret(body.data(), body.size(), digest.data(), 0);
    return "received " + std::to_string(body.size()) + " bytes sha256=" + ToHex(digest);
}

std::string
LinkFormat()
{
    return "</hello>;rt=\"hello\";ct=0,"
           "</echo>;ct=0,"
           "</counter>;rt=\"counter\";obs;ct=0,"
           "</large>;ct=0,"
           "</upload>;ct=0";
}

} // namespace tools
} // namespace lpwan
