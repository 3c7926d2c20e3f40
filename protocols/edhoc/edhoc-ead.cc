#include "edhoc-ead.h"

#include <algorithm>

namespace lpwan
{
namespace edhoc
{

Bytes
EncodeEad(const Ead& ead)
{
    CborWriter w;
    for (const EadItem& item : ead)
    {
        w.Int(item.label);
        if (item.value)
        {
            w.Bstr(*item.value);
        }
    }
    return w.Take();
}

bool
ReadEad(CborReader& reader, Ead& ead)
{
    ead.clear();
    while (!reader.AtEnd())
    {
        if (ead.size() >= kMaxEadItems)
        {
            return reader.Fail("too many EAD items");
        }
        EadItem item;
        if (!reader.ReadInt(item.label))
        {
            return reader.Fail("EAD: expected an ead_label");
        }
        CborHead next;
        if (!reader.AtEnd() && reader.Peek(next) && next.type == CborType::Bytes)
        {
            Bytes value;
            reader.ReadBstr(value);
            item.value = std::move(value);
        }
        if (!reader.Error().empty())
        {
            return false;
        }
        ead.push_back(std::move(item));
    }
    return true;
}

const EadItem*
FindUnsupportedCritical(const Ead& ead, const std::vector<int64_t>& supported)
{
    for (const EadItem& item : ead)
    {
        if (item.IsCritical()
            && std::find(supported.begin(), supported.end(), item.label) == supported.end())
        {
            return &item;
        }
    }
    return nullptr;
}

} // namespace edhoc
} // namespace lpwan
