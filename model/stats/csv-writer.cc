#include "csv-writer.h"

#include <iomanip>
#include <sstream>
#include <stdexcept>

namespace ns3
{

std::string
CsvQuote(std::string_view field)
{
    if (field.find_first_of(",\"\r\n") == std::string_view::npos)
    {
        return std::string(field);
    }
    std::string out = "\"";
    for (char c : field)
    {
        out += c;
        if (c == '"')
        {
            out += '"';
        }
    }
    out += '"';
    return out;
}

CsvRow&
CsvRow::Add(std::string_view text)
{
    if (m_fields++ > 0)
    {
        m_row += ',';
    }
    m_row += CsvQuote(text);
    return *this;
}

CsvRow&
CsvRow::Add(double value, int precision)
{
    std::ostringstream os;
    os << std::setprecision(precision) << value;
    return Add(std::string_view(os.str()));
}

CsvWriter::CsvWriter(const std::string& path, bool flushEachRow)
  : m_path(path)
  , m_out(path, std::ios::out | std::ios::trunc)
  , m_flushEachRow(flushEachRow)
{
    if (!m_out)
    {
        throw std::runtime_error(path + ": cannot write");
    }
}

void
CsvWriter::WriteRow(const CsvRow& row)
{
    m_out << row.Str() << '\n';
    if (m_flushEachRow)
    {
        m_out.flush();
    }
    ++m_rows;
}

void
CsvWriter::WriteRow(std::initializer_list<std::string_view> fields)
{
    CsvRow row;
    for (std::string_view f : fields)
    {
        row.Add(f);
    }
    WriteRow(row);
}

void
CsvWriter::Close()
{
    if (!m_out.flush())
    {
        throw std::runtime_error(m_path + ": write failed");
    }
}

} // namespace ns3
