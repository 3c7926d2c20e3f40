// The CSV writer: RFC 4180 quoting, and plain fields written exactly as the traces always had
// them (the golden hashes of messages.csv and energy.csv depend on it).
#include "stats/csv-writer.h"
#include "support/temp-dir.h"

#include <gtest/gtest.h>

#include <fstream>
#include <iomanip>
#include <sstream>

using namespace ns3;

namespace
{

std::string
ReadAll(const std::string& path)
{
    std::ifstream in(path);
    std::ostringstream os;
    os << in.rdbuf();
    return os.str();
}

} // namespace

TEST(CsvQuote, PlainFieldsAreUnchanged)
{
    EXPECT_EQ(CsvQuote(""), "");
    EXPECT_EQ(CsvQuote("coap+oscore"), "coap+oscore");
    EXPECT_EQ(CsvQuote("0.125000000"), "0.125000000");
}

TEST(CsvQuote, QuotesCommaQuoteAndLineBreaks)
{
    EXPECT_EQ(CsvQuote("a,b"), "\"a,b\"");
    EXPECT_EQ(CsvQuote("say \"hi\""), "\"say \"\"hi\"\"\"");
    EXPECT_EQ(CsvQuote("two\nlines"), "\"two\nlines\"");
    EXPECT_EQ(CsvQuote("cr\r"), "\"cr\r\"");
}

TEST(CsvRow, NumbersAsTheStreamsWroteThem)
{
    CsvRow row;
    row.Add(uint64_t{42}).Add(-3).Add(0.1 + 0.2).Add(1e-20).Add(2.5, 3).Add("x,y");
    std::ostringstream expected;
    expected << std::setprecision(12) << 42 << ',' << -3 << ',' << 0.1 + 0.2 << ',' << 1e-20 << ','
             << std::setprecision(3) << 2.5 << ",\"x,y\"";
    EXPECT_EQ(row.Str(), expected.str());
}

TEST(CsvWriter, WritesRowsWithLineFeeds)
{
    lpwantest::TempDir dir("lpwan-csv");
    const std::string path = dir.Path() + "/t.csv";
    {
        CsvWriter csv(path, true);
        csv.WriteRow({"a", "b,c"});
        CsvRow row;
        row.Add(1).Add("q\"");
        csv.WriteRow(row);
        csv.Close();
        EXPECT_EQ(csv.GetRowCount(), 2u);
    }
    EXPECT_EQ(ReadAll(path), "a,\"b,c\"\n1,\"q\"\"\"\n");
}

TEST(CsvWriter, UnwritablePathThrows)
{
    EXPECT_THROW(CsvWriter("/nonexistent-dir/x.csv"), std::runtime_error);
}
