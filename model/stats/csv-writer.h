/*
 * One writer for the CSV traces (messages.csv, energy.csv, exposure-devices.csv), so that
 * every one of them follows RFC 4180: a field that contains a comma, a double quote, CR or LF
 * is enclosed in double quotes and its inner double quotes are doubled. Fields that need no
 * quoting are written as they are, so a trace whose fields are all plain is byte-identical to
 * what the hand-written writers produced before.
 *
 * Rows end with "\n" (not RFC 4180's CRLF): the traces have always used LF, and the golden
 * hashes and the analysis scripts depend on it.
 *
 *   CsvWriter csv(path);                     // throws std::runtime_error if it cannot write
 *   csv.WriteRow({"device", "joules"});      // a header
 *   CsvRow row;
 *   row.Add(3).Add(0.125).Add("a,b");         // 3,0.125,"a,b"
 *   csv.WriteRow(row);
 */
#ifndef LPWAN_CSV_WRITER_H
#define LPWAN_CSV_WRITER_H

#include <cstdint>
#include <fstream>
#include <initializer_list>
#include <string>
#include <string_view>
#include <type_traits>

namespace ns3
{

/// field as RFC 4180 wants it: unchanged, or quoted with inner quotes doubled.
std::string CsvQuote(std::string_view field);

/// One row being built: each Add appends one field (quoted when needed).
class CsvRow
{
  public:
    /// Doubles are written as an ostream with this precision writes them (std::setprecision):
    /// 12 significant digits is what energy.csv has always used.
    static constexpr int kDefaultPrecision = 12;

    CsvRow& Add(std::string_view text);

    CsvRow& Add(const char* text)
    {
        return Add(std::string_view(text));
    }

    CsvRow& Add(const std::string& text)
    {
        return Add(std::string_view(text));
    }

    /// Integers in decimal (std::to_string).
    template<typename T, typename = std::enable_if_t<std::is_integral_v<T>>>
    CsvRow& Add(T value)
    {
        return AddRaw(std::to_string(value));
    }

    /// A double as `std::ostream << std::setprecision(precision) << value` writes it.
    CsvRow& Add(double value, int precision = kDefaultPrecision);

    /// A field that is already formatted and needs no quoting (numbers, times); also quoted
    /// if it turns out to need it.
    CsvRow& AddRaw(const std::string& text)
    {
        return Add(std::string_view(text));
    }

    /// The row without its line end.
    const std::string& Str() const
    {
        return m_row;
    }

    bool Empty() const
    {
        return m_fields == 0;
    }

  private:
    std::string m_row;
    size_t m_fields = 0;
};

/// A CSV file: rows are appended and (optionally) flushed one by one.
class CsvWriter
{
  public:
    /// Opens (truncates) path. flushEachRow: flush after every row, so that an interrupted run
    /// keeps every row it already wrote. Throws std::runtime_error("PATH: cannot write").
    explicit CsvWriter(const std::string& path, bool flushEachRow = false);

    void WriteRow(const CsvRow& row);
    /// A row of plain text fields (a header).
    void WriteRow(std::initializer_list<std::string_view> fields);

    /// Flushes; throws std::runtime_error("PATH: write failed") if any write failed.
    void Close();

    uint64_t GetRowCount() const
    {
        return m_rows;
    }

  private:
    std::string m_path;
    std::ofstream m_out;
    bool m_flushEachRow;
    uint64_t m_rows = 0;
};

} // namespace ns3

#endif // LPWAN_CSV_WRITER_H
