// Runs before the first paint: marks that scripts run (the stylesheet shows every accordion
// panel when they do not), and applies the remembered colour theme (the toggle stores it).
document.documentElement.classList.add("js");
try {
  const theme = localStorage.getItem("automation-runs-theme");
  if (theme === "light" || theme === "dark") document.documentElement.dataset.theme = theme;
} catch (_) {
  // Storage can be unavailable (private mode); the page then follows the system setting.
}
