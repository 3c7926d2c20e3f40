/*
 * A fresh directory under /tmp for one test, removed with its contents on destruction: the
 * peers' logs and files of one case never meet another case's (ctest runs them in parallel).
 */
#ifndef LPWAN_TEST_SUPPORT_TEMP_DIR_H
#define LPWAN_TEST_SUPPORT_TEMP_DIR_H

#include <cstdlib>
#include <filesystem>
#include <stdexcept>
#include <string>
#include <system_error>

namespace lpwantest
{

class TempDir
{
  public:
    /// Creates /tmp/<prefix>-XXXXXX (mkdtemp). Throws std::runtime_error when it cannot.
    explicit TempDir(const std::string& prefix = "lpwan-test")
    {
        std::string pattern = "/tmp/" + prefix + "-XXXXXX";
        if (mkdtemp(pattern.data()) == nullptr)
        {
            throw std::runtime_error("mkdtemp failed for " + pattern);
        }
        m_path = pattern;
    }

    ~TempDir()
    {
        std::error_code ignored;
        std::filesystem::remove_all(m_path, ignored);
    }

    TempDir(const TempDir&) = delete;
    TempDir& operator=(const TempDir&) = delete;

    const std::string& Path() const
    {
        return m_path;
    }

    std::string File(const std::string& name) const
    {
        return m_path + "/" + name;
    }

  private:
    std::string m_path;
};

} // namespace lpwantest

#endif // LPWAN_TEST_SUPPORT_TEMP_DIR_H
