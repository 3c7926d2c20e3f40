/*
 * External Authorization Data (RFC 9528 section 3.8): a CBOR sequence of items
 * ( ead_label : int, ? ead_value : bstr ). The core carries EAD between the application and
 * the messages; it only enforces that a critical item (negative label) the receiver does not
 * support aborts the session.
 */
#ifndef LPWAN_EDHOC_EAD_H
#define LPWAN_EDHOC_EAD_H

#include "edhoc-cbor.h"

namespace lpwan
{
namespace edhoc
{

/// The CBOR sequence of the items (empty for no EAD).
Bytes EncodeEad(const Ead& ead);

/// Reads items until the end of the reader (at most kMaxEadItems).
bool ReadEad(CborReader& reader, Ead& ead);

/// The first critical item whose label is not in supported; nullptr when there is none.
const EadItem* FindUnsupportedCritical(const Ead& ead, const std::vector<int64_t>& supported);

} // namespace edhoc
} // namespace lpwan

#endif // LPWAN_EDHOC_EAD_H
