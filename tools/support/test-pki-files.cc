/*
 * Test PKI files; see test-pki-files.h.
 */

#include "test-pki-files.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace lpwan
{
namespace tools
{

namespace
{

bool
WriteFile(const std::string& path, const std::string& text, mode_t mode, std::string* error)
{
    const int fd = open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode);
    if (fd < 0)
    {
        *error = "cannot create '" + path + "': " + std::strerror(errno);
        return false;
    }
    // The mode given to open() is filtered by the umask and ignored for an existing file.
    bool ok = fchmod(fd, mode) == 0;
    size_t done = 0;
    while (ok && done < text.size())
    {
        const ssize_t n = write(fd, text.data() + done, text.size() - done);
        if (n < 0 && errno == EINTR)
        {
            continue;
        }
        ok = n > 0;
        done += ok ? static_cast<size_t>(n) : 0;
    }
    ok = close(fd) == 0 && ok;
    if (!ok)
    {
        *error = "cannot write '" + path + "': " + std::strerror(errno);
    }
    return ok;
}

} // namespace

std::vector<std::string>
TestPkiFileNames()
{
    return {"ca-cert.pem",    "ca-key.pem",      "server-cert.pem",
            "server-key.pem", "client-cert.pem", "client-key.pem"};
}

bool
WriteTestPkiFiles(const tls::TestPki& pki, const std::string& directory, std::string* error)
{
    const std::vector<std::string> names = TestPkiFileNames();
    const tls::CertifiedKey* parts[] = {&pki.ca, &pki.server, &pki.client};
    for (size_t i = 0; i < 3; ++i)
    {
        if (!WriteFile(directory + "/" + names[2 * i], parts[i]->certificatePem, 0644, error)
            || !WriteFile(directory + "/" + names[2 * i + 1], parts[i]->privateKeyPem, 0600, error))
        {
            return false;
        }
    }
    return true;
}

} // namespace tools
} // namespace lpwan
