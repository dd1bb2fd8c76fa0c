"""The top floor: pages that combine domains — "Mijn werk", the menu, the household page
(docs/decisions/0006-floors.md). Domain apps never import it."""
