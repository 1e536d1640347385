"""The one JSON result line a peer of bench/speed/run.ts writes on stdout (see bench/speed/protocol.ts)."""
import json
import resource


def print_result(engine, detail, setup_ms, step_ms, losses):
    print(json.dumps({
        'engine': engine,
        'detail': detail,
        'setupMs': setup_ms,
        'stepMs': step_ms,
        'losses': losses,
        'peakRssMB': resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }))
