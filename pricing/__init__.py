"""Price sheets: genai-prices' snapshot, user sheets, and the resolution of measurements to prices."""
