/*
 * Helpers for the workflow tests, which run the user's commands as the user would: the
 * sweep and plot scripts (Debian's /usr/bin/python3, which sees python3-pandas), the
 * README's examples, the built lpwan-run. Paths come from LPWAN_SOURCE_DIR and
 * LPWAN_BINARY_DIR; nothing is rebuilt.
 */
#ifndef LPWAN_TEST_WORKFLOW_UTIL_H
#define LPWAN_TEST_WORKFLOW_UTIL_H

#include "support/child-process.h"

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <optional>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

namespace workflow_test
{

namespace fs = std::filesystem;

inline const std::string kPython = "/usr/bin/python3";

inline std::string
SourcePath(const std::string& relative)
{
    return std::string(LPWAN_SOURCE_DIR) + "/" + relative;
}

inline std::string
Runner()
{
    return std::string(LPWAN_BINARY_DIR) + "/bin/lpwan-run";
}

inline std::string
ReadText(const std::string& path)
{
    std::ifstream in(path, std::ios::binary);
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
}

inline void
WriteText(const std::string& path, const std::string& text)
{
    std::ofstream(path, std::ios::binary) << text;
}

/// A fresh directory under LPWAN_BINARY_DIR/test-output/workflow (one per test and process,
/// so parallel ctest processes never share one), removed on destruction.
class ScratchDir
{
  public:
    explicit ScratchDir(const std::string& name)
    {
        m_path = std::string(LPWAN_BINARY_DIR) + "/test-output/workflow/" + name + "-"
                 + std::to_string(getpid());
        fs::remove_all(m_path);
        fs::create_directories(m_path);
    }

    ~ScratchDir()
    {
        std::error_code ignored;
        fs::remove_all(m_path, ignored);
    }

    ScratchDir(const ScratchDir&) = delete;
    ScratchDir& operator=(const ScratchDir&) = delete;

    const std::string& Path() const
    {
        return m_path;
    }

    std::string operator/(const std::string& name) const
    {
        return m_path + "/" + name;
    }

  private:
    std::string m_path;
};

struct Finished
{
    int status = -1; ///< exit status, 128 + N when killed by signal N, -1 on timeout
    std::string out;
    std::string err;
};

/// Runs program with args to completion (at most timeoutS), capturing its output in files
/// next to outputPrefix.
inline Finished
RunProgram(const std::string& program, const std::vector<std::string>& args,
           const std::string& outputPrefix, double timeoutS = 60)
{
    interop_test::ChildProcess child(program, args, outputPrefix);
    Finished f;
    f.status = child.Wait(timeoutS).value_or(-1);
    f.out = child.Stdout();
    f.err = child.Stderr();
    return f;
}

/// A shell command line (sh -c), e.g. with a cd and environment assignments.
inline Finished
Shell(const std::string& command, const std::string& outputPrefix, double timeoutS = 60)
{
    return RunProgram("/bin/sh", {"-c", command}, outputPrefix, timeoutS);
}

/// Runs a sweep file's text with analysis/sweep.py into dir/NAME (its output files beside it);
/// returns the sweep directory. The status is checked by the caller's ASSERT on the result.
inline std::string
RunSweepText(const std::string& dir, const std::string& name, const std::string& yaml,
             Finished* result)
{
    WriteText(dir + "/" + name + ".yaml", yaml);
    const std::string sweep = dir + "/" + name;
    *result = RunProgram(kPython,
                         {SourcePath("analysis/sweep.py"), dir + "/" + name + ".yaml", "--out",
                          sweep, "--lpwan-run", Runner()},
                         dir + "/" + name + "-run", 300);
    return sweep;
}

/// The arguments of an analysis script that runs scenarios itself (the table commands of
/// ./lpwan: battery-table, faults, ...): the script, the built lpwan-run, the catalogue, OUT,
/// then extra.
inline std::vector<std::string>
TableScriptArgs(const std::string& script, const std::string& out,
                const std::vector<std::string>& extra)
{
    std::vector<std::string> args
        = {SourcePath(script),      "--lpwan-run", Runner(), "--scenario-dir",
           SourcePath("scenarios"), "--out",       out};
    args.insert(args.end(), extra.begin(), extra.end());
    return args;
}

/// Single-quoted for sh.
inline std::string
Quote(const std::string& s)
{
    std::string q = "'";
    for (char c : s)
    {
        q += c == '\'' ? std::string("'\\''") : std::string(1, c);
    }
    return q + "'";
}

using CsvRow = std::map<std::string, std::string>;

/// A CSV file as written by pandas (RFC 4180 quoting): one map per row, by header name.
inline std::vector<CsvRow>
ReadCsv(const std::string& path)
{
    const std::string text = ReadText(path);
    std::vector<std::vector<std::string>> records;
    std::vector<std::string> record;
    std::string field;
    bool quoted = false;
    for (size_t i = 0; i < text.size(); ++i)
    {
        const char c = text[i];
        if (quoted)
        {
            if (c == '"' && i + 1 < text.size() && text[i + 1] == '"')
            {
                field += '"';
                ++i;
            }
            else if (c == '"')
            {
                quoted = false;
            }
            else
            {
                field += c;
            }
        }
        else if (c == '"')
        {
            quoted = true;
        }
        else if (c == ',')
        {
            record.push_back(field);
            field.clear();
        }
        else if (c == '\n')
        {
            record.push_back(field);
            records.push_back(record);
            record.clear();
            field.clear();
        }
        else if (c != '\r')
        {
            field += c;
        }
    }
    if (!field.empty() || !record.empty())
    {
        record.push_back(field);
        records.push_back(record);
    }
    std::vector<CsvRow> rows;
    for (size_t r = 1; r < records.size(); ++r)
    {
        if (records[r].size() != records[0].size())
        {
            throw std::runtime_error(path + ": row " + std::to_string(r) + " has "
                                     + std::to_string(records[r].size()) + " fields, the header "
                                     + std::to_string(records[0].size()));
        }
        CsvRow row;
        for (size_t c = 0; c < records[0].size(); ++c)
        {
            row[records[0][c]] = records[r][c];
        }
        rows.push_back(row);
    }
    return rows;
}

/// Lines of text (without their newline).
inline std::vector<std::string>
Lines(const std::string& text)
{
    std::vector<std::string> lines;
    std::istringstream in(text);
    std::string line;
    while (std::getline(in, line))
    {
        lines.push_back(line);
    }
    return lines;
}

/// Every file named name below dir.
inline std::vector<std::string>
FindFiles(const std::string& dir, const std::string& name)
{
    std::vector<std::string> found;
    if (!fs::exists(dir))
    {
        return found;
    }
    for (const auto& e : fs::recursive_directory_iterator(dir))
    {
        if (e.is_regular_file() && e.path().filename() == name)
        {
            found.push_back(e.path().string());
        }
    }
    return found;
}

/// Processes (other than this one) whose command line mentions text.
inline int
ProcessesMentioning(const std::string& text)
{
    int count = 0;
    for (const auto& e : fs::directory_iterator("/proc"))
    {
        const std::string pid = e.path().filename().string();
        if (pid.find_first_not_of("0123456789") != std::string::npos
            || pid == std::to_string(getpid()))
        {
            continue;
        }
        std::string cmdline = ReadText(e.path().string() + "/cmdline");
        for (char& c : cmdline)
        {
            c = c == '\0' ? ' ' : c;
        }
        if (cmdline.find(text) != std::string::npos)
        {
            ++count;
        }
    }
    return count;
}

} // namespace workflow_test

#endif // LPWAN_TEST_WORKFLOW_UTIL_H
