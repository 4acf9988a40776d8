"""The privacy notice (Datenschutzhinweise): written by the office in versions, accepted by everyone."""
