import Hummingbird

/// Answers every refusal the routes do not word themselves in `APIError`'s JSON shape, so no answer of the API is an
/// empty error: a path or method no route takes (404 `not-found`), no stream slot free (503 `service-unavailable`),
/// and a failure of central's own, such as a full disk while an acknowledgement is stored (500
/// `internal-server-error`, logged). The code is the status's reason in kebab case.
struct APIErrorMiddleware<Context: RequestContext>: RouterMiddleware {
    func handle(
        _ request: Request, context: Context, next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let error as APIError {
            throw error
        } catch let error as any HTTPResponseError {
            let message: String
            switch error.status {
            case .notFound: message = "no route for \(request.method) \(request.uri.path)"
            default: message = (error as? HTTPError)?.body ?? error.status.reasonPhrase
            }
            throw APIError(error.status, message: message)
        } catch {
            context.logger.error("\(request.method) \(request.uri.path) failed: \(error)")
            throw APIError(.internalServerError, message: "central could not answer: \(error)")
        }
    }
}
