/// The dashboard's static files (page, script, style), so the binary needs nothing beside it and no CDN.
///
/// `indexHTML`, `appJS` and `styleCSS` are `Assets/index.html`, `app.js` and `style.css` byte for byte, embedded
/// at build time from `embed-files.txt` by the parent package's EmbedFiles plugin.
public enum DashboardAssets {}
