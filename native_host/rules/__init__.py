"""The rules layer: what rules say (format), how bundles are signed (signing), which rules run (sources), where
they live on disk (paths) and which domains each platform may use (domains).

It imports only the shared facts at the top of native_host/, never the engine, history or the front doors, so
the rules service in server/ can use it alone.
"""
