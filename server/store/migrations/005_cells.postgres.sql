-- The drill-down of a clicked hexagon (incidents.list with a cell) reads one cell's rows at the
-- hexagon's resolution: an index per served resolution (resolution 11 has incident_h3 since 001).
CREATE INDEX incident_h3_5 ON incident (h3_5);
CREATE INDEX incident_h3_6 ON incident (h3_6);
CREATE INDEX incident_h3_7 ON incident (h3_7);
CREATE INDEX incident_h3_8 ON incident (h3_8);
CREATE INDEX incident_h3_9 ON incident (h3_9);
CREATE INDEX incident_h3_10 ON incident (h3_10);
