"""The register of decisions (Beschlussregister): every decision of minutes the reader may read."""
