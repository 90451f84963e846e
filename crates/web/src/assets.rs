//! Static files: GOV.UK Frontend's stylesheet, script, fonts and images (from the npm package the
//! set-up command installs, served from disk), and Casework's own small stylesheet, enhancement
//! script and icon (embedded in the binary).

use axum::Router;
use axum::http::header;
use axum::response::IntoResponse;
use axum::routing::get;
use tower_http::services::ServeDir;

use crate::Config;
use crate::state::AppState;

const SCRIPT: &str = include_str!("../static/casework.js");
const STYLE: &str = include_str!("../static/casework.css");
/// Casework's own 16-pixel icon (a blue disc with a "C"), so browsers' requests for it find one.
const FAVICON: &[u8] = include_bytes!("../static/favicon.ico");

pub fn routes(config: &Config) -> Router<AppState> {
    let mut router = Router::new()
        .route(
            "/static/casework.js",
            get(|| async {
                (
                    [(header::CONTENT_TYPE, "text/javascript; charset=utf-8")],
                    SCRIPT,
                )
                    .into_response()
            }),
        )
        .route(
            "/static/casework.css",
            get(|| async {
                ([(header::CONTENT_TYPE, "text/css; charset=utf-8")], STYLE).into_response()
            }),
        )
        .route(
            "/favicon.ico",
            get(|| async {
                (
                    [
                        (header::CONTENT_TYPE, "image/x-icon"),
                        (header::CACHE_CONTROL, "public, max-age=86400"),
                    ],
                    FAVICON,
                )
                    .into_response()
            }),
        );
    if let Some(dir) = &config.govuk_frontend {
        router = router
            .nest_service("/static/govuk", ServeDir::new(dir))
            .nest_service("/assets", ServeDir::new(dir.join("assets")));
    }
    router
}
