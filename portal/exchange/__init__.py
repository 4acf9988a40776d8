"""The experience exchange (Erfahrungsbörse): themes and who practises, plans or is interested in them."""
