"""Frozen server schema versions (vNNNN.sql), run in order by `server.admin.migrate`."""
