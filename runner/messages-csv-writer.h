/*
 * Writes messages.csv: one row per application message, appended and flushed as each record
 * is finalized, so that an interrupted run keeps every row it already reported. Fields are
 * quoted as RFC 4180 wants (CsvWriter): a completion or protocol name with a comma stays one
 * field.
 */
#ifndef LPWAN_MESSAGES_CSV_WRITER_H
#define LPWAN_MESSAGES_CSV_WRITER_H

#include "stats/csv-writer.h"
#include "stats/message-record.h"

#include <string>

namespace ns3
{

class MessagesCsvWriter
{
  public:
    /// Opens (truncates) path and writes the header row. Throws std::runtime_error.
    explicit MessagesCsvWriter(const std::string& path);
    void Write(const MessageRecord& record);

    uint64_t GetRowCount() const
    {
        return m_rows;
    }

    /// The header row (column names), for documentation and tests.
    static std::string Header();

  private:
    CsvWriter m_out;
    uint64_t m_rows = 0;
};

} // namespace ns3

#endif // LPWAN_MESSAGES_CSV_WRITER_H
