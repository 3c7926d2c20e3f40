/*
 * RAII holders for the mbedTLS structures the cores that do their own elliptic-curve work
 * (EDHOC, TLS 1.3) use: each initialises its structure on construction and frees it on
 * destruction, so that no early return leaks one.
 */
#ifndef LPWAN_COMMON_MBEDTLS_HOLDERS_H
#define LPWAN_COMMON_MBEDTLS_HOLDERS_H

#include <mbedtls/bignum.h>
#include <mbedtls/ecp.h>

namespace lpwan
{

/// A loaded curve; ok is false when mbedTLS could not load it.
struct EcpGroup
{
    mbedtls_ecp_group g;
    bool ok;

    explicit EcpGroup(mbedtls_ecp_group_id id)
    {
        mbedtls_ecp_group_init(&g);
        ok = mbedtls_ecp_group_load(&g, id) == 0;
    }

    ~EcpGroup()
    {
        mbedtls_ecp_group_free(&g);
    }

    EcpGroup(const EcpGroup&) = delete;
    EcpGroup& operator=(const EcpGroup&) = delete;
};

struct Mpi
{
    mbedtls_mpi m;

    Mpi()
    {
        mbedtls_mpi_init(&m);
    }

    ~Mpi()
    {
        mbedtls_mpi_free(&m);
    }

    Mpi(const Mpi&) = delete;
    Mpi& operator=(const Mpi&) = delete;
};

struct EcpPoint
{
    mbedtls_ecp_point p;

    EcpPoint()
    {
        mbedtls_ecp_point_init(&p);
    }

    ~EcpPoint()
    {
        mbedtls_ecp_point_free(&p);
    }

    EcpPoint(const EcpPoint&) = delete;
    EcpPoint& operator=(const EcpPoint&) = delete;
};

} // namespace lpwan

#endif // LPWAN_COMMON_MBEDTLS_HOLDERS_H
