// Applies the remembered colour theme before the first paint (the toggle stores it).
try {
  const theme = localStorage.getItem("automation-runs-theme");
  if (theme === "light" || theme === "dark") document.documentElement.dataset.theme = theme;
} catch (_) {
  // Storage can be unavailable (private mode); the page then follows the system setting.
}
