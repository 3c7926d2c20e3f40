/*
 * Adapts an ns-3 random stream to the RandomSource a sans-I/O core draws from, so that the
 * cores' randomness (back-off, tokens, message IDs) is part of the simulation's seed/run.
 */
#ifndef LPWAN_NS3_RANDOM_SOURCE_H
#define LPWAN_NS3_RANDOM_SOURCE_H

#include "protocols/common/sans-io.h"

#include "ns3/random-variable-stream.h"

namespace ns3
{

class Ns3RandomSource : public lpwan::RandomSource
{
  public:
    explicit Ns3RandomSource(Ptr<UniformRandomVariable> stream)
      : m_stream(stream)
    {
    }

    double Uniform01() override
    {
        return m_stream->GetValue(0.0, 1.0);
    }

    uint32_t Uint32() override
    {
        return m_stream->GetInteger(0, 0xffffffffu);
    }

  private:
    Ptr<UniformRandomVariable> m_stream;
};

} // namespace ns3

#endif // LPWAN_NS3_RANDOM_SOURCE_H
