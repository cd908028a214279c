"""Growth: measurements plotted against UK-WHO with rcpchgrowth, and NICE NG75 faltering-growth concerns."""
