"""The tenant-zone program's configuration model: the tenant spec, the tenant registry, tag registration and
the baseline composed from a spec. Components never import this package; they take typed Args only."""
