"""The history layer: the runs kept on this computer (store) and the one way a run is recorded (recorded_run:
lock, interrupted-run sweep, history row, engine, result), used by both front doors.

It imports the engine, the rules layer and the shared facts, never the front doors.
"""
