// Generated from openapi.json by `npm run generate:client`; do not edit.

export type paths = {
    "/healthz": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Health */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Serving */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Health"];
                    };
                };
                /** @description Postgres cannot be reached */
                503: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Health"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/metrics": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Metrics */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description The verifier’s metrics */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "text/plain": string;
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/auth": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Forward-auth
         * @description For gateways. Any method, and any path under `/v1/auth/`, answers the same. The required scopes are all those named in `X-Required-Scope` and `?scope=`: a client can add a requirement, never remove one. Every call is one AuthEvent.
         */
        get: {
            parameters: {
                query?: {
                    /** @description Required scopes, comma-separated, as often as needed; the key must grant every one */
                    scope?: string | string[];
                };
                header?: {
                    /**
                     * @description Required scopes, comma-separated; the key must grant every one
                     * @example agents:write
                     */
                    "x-required-scope"?: string;
                    /** @description The client’s method (believed from TRUSTED_PROXIES only) */
                    "x-original-method"?: string;
                    /** @description The client’s path (believed from TRUSTED_PROXIES only) */
                    "x-original-uri"?: string;
                    /** @description The client’s address (believed from TRUSTED_PROXIES only) */
                    "x-forwarded-for"?: string;
                };
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description The key may proceed */
                200: {
                    headers: {
                        /** @description The key’s id */
                        "x-key-id"?: string;
                        /** @description The key’s org */
                        "x-org-id"?: string;
                        /** @description The scopes the key grants */
                        "x-key-scopes"?: string;
                        /** @description Requests the key may make per period */
                        "x-ratelimit-limit"?: string;
                        /** @description Requests left in this period */
                        "x-ratelimit-remaining"?: string;
                        /** @description Unix time (seconds) at which the period ends */
                        "x-ratelimit-reset"?: string;
                        /** @description Present when the key is past its rotation date */
                        "x-key-rotation-due"?: string;
                        /** @description Present when the key expires within 14 days */
                        "x-key-expires"?: string;
                        [name: string]: unknown;
                    };
                    content?: never;
                };
                /** @description No key, a malformed Authorization header, a key that is unknown, revoked or expired, or a session that has ended */
                401: {
                    headers: {
                        /** @description The error body again, as a header, for gateways that cannot forward a subrequest’s body */
                        "x-keywatch-error"?: string;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error401"];
                    };
                };
                /** @description The key lacks a required scope, the client IP is outside its allowlist, (management) the key was rotated out, or a cookie-authenticated request came from another origin */
                403: {
                    headers: {
                        /** @description The error body again, as a header, for gateways that cannot forward a subrequest’s body */
                        "x-keywatch-error"?: string;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error403"];
                    };
                };
                /** @description Over the key’s rate limit, or too many unknown keys from one source */
                429: {
                    headers: {
                        /** @description The error body again, as a header, for gateways that cannot forward a subrequest’s body */
                        "x-keywatch-error"?: string;
                        /** @description Seconds to wait before trying again */
                        "retry-after"?: string;
                        /** @description Requests the key may make per period */
                        "x-ratelimit-limit"?: string;
                        /** @description Requests left in this period */
                        "x-ratelimit-remaining"?: string;
                        /** @description Unix time (seconds) at which the period ends */
                        "x-ratelimit-reset"?: string;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error429"];
                    };
                };
                /** @description An unexpected failure; the body never carries details */
                500: {
                    headers: {
                        /** @description The error body again, as a header, for gateways that cannot forward a subrequest’s body */
                        "x-keywatch-error"?: string;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error500"];
                    };
                };
                /** @description A store the answer needs cannot be reached: Postgres (keys not cached, the API’s records) or Redis (dashboard sessions) */
                503: {
                    headers: {
                        /** @description The error body again, as a header, for gateways that cannot forward a subrequest’s body */
                        "x-keywatch-error"?: string;
                        /** @description Seconds to wait before trying again */
                        "retry-after"?: string;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error503"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/verify": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Verify a key
         * @description For application servers: 200 with the verdict whatever it is. Every call is one AuthEvent.
         */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": components["schemas"]["VerifyRequest"];
                };
            };
            responses: {
                /** @description The verdict */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Verdict"];
                    };
                };
                /** @description The request is malformed; the message names each field and what is wrong with it */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error400"];
                    };
                };
                /** @description The request body is larger than the verifier accepts (64 KiB) */
                413: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error413"];
                    };
                };
                /** @description The request body is not JSON */
                415: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error415"];
                    };
                };
                /** @description An unexpected failure; the body never carries details */
                500: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error500"];
                    };
                };
                /** @description A store the answer needs cannot be reached: Postgres (keys not cached, the API’s records) or Redis (dashboard sessions) */
                503: {
                    headers: {
                        /** @description Seconds to wait before trying again */
                        "retry-after"?: string;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error503"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/session": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Sign in
         * @description For the dashboard: exchanges an admin key for a session cookie that stands for it on `/api/*` for 12 h. The key is verified as a Bearer admin key is; a rotated-out key is refused. With an `Origin` header, it must be the verifier’s own.
         */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": components["schemas"]["SignIn"];
                };
            };
            responses: {
                /** @description Signed in */
                204: {
                    headers: {
                        /** @description The session: `HttpOnly`, `SameSite=Strict`, `Path=/api`, 12 h (`Secure` when PUBLIC_URL is https) */
                        "set-cookie"?: string;
                        [name: string]: unknown;
                    };
                    content?: never;
                };
                /** @description The request is malformed; the message names each field and what is wrong with it */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error400"];
                    };
                };
                /** @description No key, a malformed Authorization header, a key that is unknown, revoked or expired, or a session that has ended */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error401"];
                    };
                };
                /** @description The key lacks a required scope, the client IP is outside its allowlist, (management) the key was rotated out, or a cookie-authenticated request came from another origin */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error403"];
                    };
                };
                /** @description The request body is larger than the verifier accepts (64 KiB) */
                413: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error413"];
                    };
                };
                /** @description The request body is not JSON */
                415: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error415"];
                    };
                };
                /** @description Over the key’s rate limit, or too many unknown keys from one source */
                429: {
                    headers: {
                        /** @description Seconds to wait before trying again */
                        "retry-after"?: string;
                        /** @description Requests the key may make per period */
                        "x-ratelimit-limit"?: string;
                        /** @description Requests left in this period */
                        "x-ratelimit-remaining"?: string;
                        /** @description Unix time (seconds) at which the period ends */
                        "x-ratelimit-reset"?: string;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error429"];
                    };
                };
                /** @description An unexpected failure; the body never carries details */
                500: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error500"];
                    };
                };
                /** @description A store the answer needs cannot be reached: Postgres (keys not cached, the API’s records) or Redis (dashboard sessions) */
                503: {
                    headers: {
                        /** @description Seconds to wait before trying again */
                        "retry-after"?: string;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error503"];
                    };
                };
            };
        };
        /**
         * Sign out
         * @description Ends the session the cookie names and clears the cookie; without a session, the same `204`. A request that carries the cookie must come with the verifier’s own `Origin`.
         */
        delete: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Signed out */
                204: {
                    headers: {
                        /** @description Clears the session cookie (`Max-Age=0`) */
                        "set-cookie"?: string;
                        [name: string]: unknown;
                    };
                    content?: never;
                };
                /** @description The key lacks a required scope, the client IP is outside its allowlist, (management) the key was rotated out, or a cookie-authenticated request came from another origin */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error403"];
                    };
                };
                /** @description An unexpected failure; the body never carries details */
                500: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error500"];
                    };
                };
                /** @description A store the answer needs cannot be reached: Postgres (keys not cached, the API’s records) or Redis (dashboard sessions) */
                503: {
                    headers: {
                        /** @description Seconds to wait before trying again */
                        "retry-after"?: string;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error503"];
                    };
                };
            };
        };
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/api-keys": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * List keys
         * @description The org’s keys, newest first (with `rotationDue=true`, oldest first).
         */
        get: {
            parameters: {
                query?: {
                    /** @description `true`: only the live keys past their rotation date, oldest first; `false`: all others */
                    rotationDue?: "true" | "false";
                    /** @description Rows per page (at most 1000); without limit and cursor, the whole list */
                    limit?: number;
                    /** @description The `nextCursor` of the previous page */
                    cursor?: string;
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description A page of keys */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            keys: components["schemas"]["ApiKey"][];
                            /** @description Pass as `cursor` for the next page; null at the end */
                            nextCursor: string | null;
                        };
                    };
                };
                /** @description The request is malformed; the message names each field and what is wrong with it */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error400"];
                    };
                };
                /** @description No key, a malformed Authorization header, a key that is unknown, revoked or expired, or a session that has ended */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error401"];
                    };
                };
                /** @description The key lacks a required scope, the client IP is outside its allowlist, (management) the key was rotated out, or a cookie-authenticated request came from another origin */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error403"];
                    };
                };
                /** @description Over the key’s rate limit, or too many unknown keys from one source */
                429: {
                    headers: {
                        /** @description Seconds to wait before trying again */
                        "retry-after"?: string;
                        /** @description Requests the key may make per period */
                        "x-ratelimit-limit"?: string;
                        /** @description Requests left in this period */
                        "x-ratelimit-remaining"?: string;
                        /** @description Unix time (seconds) at which the period ends */
                        "x-ratelimit-reset"?: string;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error429"];
                    };
                };
                /** @description An unexpected failure; the body never carries details */
                500: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error500"];
                    };
                };
                /** @description A store the answer needs cannot be reached: Postgres (keys not cached, the API’s records) or Redis (dashboard sessions) */
                503: {
                    headers: {
                        /** @description Seconds to wait before trying again */
                        "retry-after"?: string;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error503"];
                    };
                };
            };
        };
        put?: never;
        /**
         * Create a key
         * @description Issues a key in the caller’s org. Its secret is in this answer and nowhere else.
         */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": components["schemas"]["NewApiKey"];
                };
            };
            responses: {
                /** @description The key, with its secret */
                201: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["IssuedApiKey"];
                    };
                };
                /** @description The request is malformed; the message names each field and what is wrong with it */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error400"];
                    };
                };
                /** @description No key, a malformed Authorization header, a key that is unknown, revoked or expired, or a session that has ended */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error401"];
                    };
                };
                /** @description The key lacks a required scope, the client IP is outside its allowlist, (management) the key was rotated out, or a cookie-authenticated request came from another origin */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error403"];
                    };
                };
                /** @description The resource’s state refuses the change (an org at one of its bounds, a key already rotated) */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error409"];
                    };
                };
                /** @description The request body is larger than the verifier accepts (64 KiB) */
                413: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error413"];
                    };
                };
                /** @description The request body is not JSON */
                415: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error415"];
                    };
                };
                /** @description Over the key’s rate limit, or too many unknown keys from one source */
                429: {
                    headers: {
                        /** @description Seconds to wait before trying again */
                        "retry-after"?: string;
                        /** @description Requests the key may make per period */
                        "x-ratelimit-limit"?: string;
                        /** @description Requests left in this period */
                        "x-ratelimit-remaining"?: string;
                        /** @description Unix time (seconds) at which the period ends */
                        "x-ratelimit-reset"?: string;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error429"];
                    };
                };
                /** @description An unexpected failure; the body never carries details */
                500: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error500"];
                    };
                };
                /** @description A store the answer needs cannot be reached: Postgres (keys not cached, the API’s records) or Redis (dashboard sessions) */
                503: {
                    headers: {
                        /** @description Seconds to wait before trying again */
                        "retry-after"?: string;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error503"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/api-keys/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Get a key */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    /** @description The resource’s id */
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description The key */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ApiKey"];
                    };
                };
                /** @description No key, a malformed Authorization header, a key that is unknown, revoked or expired, or a session that has ended */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error401"];
                    };
                };
                /** @description The key lacks a required scope, the client IP is outside its allowlist, (management) the key was rotated out, or a cookie-authenticated request came from another origin */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error403"];
                    };
                };
                /** @description No such resource in the caller’s org */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error404"];
                    };
                };
                /** @description Over the key’s rate limit, or too many unknown keys from one source */
                429: {
                    headers: {
                        /** @description Seconds to wait before trying again */
                        "retry-after"?: string;
                        /** @description Requests the key may make per period */
                        "x-ratelimit-limit"?: string;
                        /** @description Requests left in this period */
                        "x-ratelimit-remaining"?: string;
                        /** @description Unix time (seconds) at which the period ends */
                        "x-ratelimit-reset"?: string;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error429"];
                    };
                };
                /** @description An unexpected failure; the body never carries details */
                500: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error500"];
                    };
                };
                /** @description A store the answer needs cannot be reached: Postgres (keys not cached, the API’s records) or Redis (dashboard sessions) */
                503: {
                    headers: {
                        /** @description Seconds to wait before trying again */
                        "retry-after"?: string;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error503"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        /**
         * Revoke a key
         * @description The key fails verification on every replica within 1 s. Revoking again answers the same.
         */
        delete: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    /** @description The resource’s id */
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description The revoked key */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ApiKey"];
                    };
                };
                /** @description No key, a malformed Authorization header, a key that is unknown, revoked or expired, or a session that has ended */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error401"];
                    };
                };
                /** @description The key lacks a required scope, the client IP is outside its allowlist, (management) the key was rotated out, or a cookie-authenticated request came from another origin */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error403"];
                    };
                };
                /** @description No such resource in the caller’s org */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error404"];
                    };
                };
                /** @description Over the key’s rate limit, or too many unknown keys from one source */
                429: {
                    headers: {
                        /** @description Seconds to wait before trying again */
                        "retry-after"?: string;
                        /** @description Requests the key may make per period */
                        "x-ratelimit-limit"?: string;
                        /** @description Requests left in this period */
                        "x-ratelimit-remaining"?: string;
                        /** @description Unix time (seconds) at which the period ends */
                        "x-ratelimit-reset"?: string;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error429"];
                    };
                };
                /** @description An unexpected failure; the body never carries details */
                500: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error500"];
                    };
                };
                /** @description A store the answer needs cannot be reached: Postgres (keys not cached, the API’s records) or Redis (dashboard sessions) */
                503: {
                    headers: {
                        /** @description Seconds to wait before trying again */
                        "retry-after"?: string;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error503"];
                    };
                };
            };
        };
        options?: never;
        head?: never;
        /**
         * Change a key
         * @description Changes name, scopes, allowlist, rate limit or alert settings; enforced everywhere within 1 s.
         */
        patch: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    /** @description The resource’s id */
                    id: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": components["schemas"]["ApiKeyPatch"];
                };
            };
            responses: {
                /** @description The changed key */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ApiKey"];
                    };
                };
                /** @description The request is malformed; the message names each field and what is wrong with it */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error400"];
                    };
                };
                /** @description No key, a malformed Authorization header, a key that is unknown, revoked or expired, or a session that has ended */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error401"];
                    };
                };
                /** @description The key lacks a required scope, the client IP is outside its allowlist, (management) the key was rotated out, or a cookie-authenticated request came from another origin */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error403"];
                    };
                };
                /** @description No such resource in the caller’s org */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error404"];
                    };
                };
                /** @description The request body is larger than the verifier accepts (64 KiB) */
                413: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error413"];
                    };
                };
                /** @description The request body is not JSON */
                415: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error415"];
                    };
                };
                /** @description Over the key’s rate limit, or too many unknown keys from one source */
                429: {
                    headers: {
                        /** @description Seconds to wait before trying again */
                        "retry-after"?: string;
                        /** @description Requests the key may make per period */
                        "x-ratelimit-limit"?: string;
                        /** @description Requests left in this period */
                        "x-ratelimit-remaining"?: string;
                        /** @description Unix time (seconds) at which the period ends */
                        "x-ratelimit-reset"?: string;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error429"];
                    };
                };
                /** @description An unexpected failure; the body never carries details */
                500: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error500"];
                    };
                };
                /** @description A store the answer needs cannot be reached: Postgres (keys not cached, the API’s records) or Redis (dashboard sessions) */
                503: {
                    headers: {
                        /** @description Seconds to wait before trying again */
                        "retry-after"?: string;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error503"];
                    };
                };
            };
        };
        trace?: never;
    };
    "/api/api-keys/{id}/rotate": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Rotate a key
         * @description Issues a successor with the same settings; the old key keeps working through the grace period, then expires.
         */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    /** @description The resource’s id */
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: {
                content: {
                    "application/json": components["schemas"]["Rotation"] | null;
                };
            };
            responses: {
                /** @description The successor, with its secret */
                201: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["IssuedApiKey"];
                    };
                };
                /** @description The request is malformed; the message names each field and what is wrong with it */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error400"];
                    };
                };
                /** @description No key, a malformed Authorization header, a key that is unknown, revoked or expired, or a session that has ended */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error401"];
                    };
                };
                /** @description The key lacks a required scope, the client IP is outside its allowlist, (management) the key was rotated out, or a cookie-authenticated request came from another origin */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error403"];
                    };
                };
                /** @description No such resource in the caller’s org */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error404"];
                    };
                };
                /** @description The resource’s state refuses the change (an org at one of its bounds, a key already rotated) */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error409"];
                    };
                };
                /** @description The request body is larger than the verifier accepts (64 KiB) */
                413: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error413"];
                    };
                };
                /** @description The request body is not JSON */
                415: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error415"];
                    };
                };
                /** @description Over the key’s rate limit, or too many unknown keys from one source */
                429: {
                    headers: {
                        /** @description Seconds to wait before trying again */
                        "retry-after"?: string;
                        /** @description Requests the key may make per period */
                        "x-ratelimit-limit"?: string;
                        /** @description Requests left in this period */
                        "x-ratelimit-remaining"?: string;
                        /** @description Unix time (seconds) at which the period ends */
                        "x-ratelimit-reset"?: string;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error429"];
                    };
                };
                /** @description An unexpected failure; the body never carries details */
                500: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error500"];
                    };
                };
                /** @description A store the answer needs cannot be reached: Postgres (keys not cached, the API’s records) or Redis (dashboard sessions) */
                503: {
                    headers: {
                        /** @description Seconds to wait before trying again */
                        "retry-after"?: string;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error503"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/api-keys/{id}/usage": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * A key’s usage
         * @description Counts, failure reasons, countries and a series by minute, hour or day; `from` defaults to the key’s creation, `to` to now.
         */
        get: {
            parameters: {
                query?: {
                    /** @description Start (ISO 8601 date or time); default: the key’s or org’s creation */
                    from?: string;
                    /** @description End (ISO 8601 date or time); default: now */
                    to?: string;
                    /** @description Size of each point of the series */
                    granularity?: "minute" | "hour" | "day";
                };
                header?: never;
                path: {
                    /** @description The resource’s id */
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description The usage report; CSV when `Accept: text/csv` */
                200: {
                    headers: {
                        /** @description With CSV: an attachment and its file name */
                        "content-disposition"?: string;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["UsageReport"];
                        "text/csv": string;
                    };
                };
                /** @description The request is malformed; the message names each field and what is wrong with it */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error400"];
                    };
                };
                /** @description No key, a malformed Authorization header, a key that is unknown, revoked or expired, or a session that has ended */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error401"];
                    };
                };
                /** @description The key lacks a required scope, the client IP is outside its allowlist, (management) the key was rotated out, or a cookie-authenticated request came from another origin */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error403"];
                    };
                };
                /** @description No such resource in the caller’s org */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error404"];
                    };
                };
                /** @description Over the key’s rate limit, or too many unknown keys from one source */
                429: {
                    headers: {
                        /** @description Seconds to wait before trying again */
                        "retry-after"?: string;
                        /** @description Requests the key may make per period */
                        "x-ratelimit-limit"?: string;
                        /** @description Requests left in this period */
                        "x-ratelimit-remaining"?: string;
                        /** @description Unix time (seconds) at which the period ends */
                        "x-ratelimit-reset"?: string;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error429"];
                    };
                };
                /** @description An unexpected failure; the body never carries details */
                500: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error500"];
                    };
                };
                /** @description A store the answer needs cannot be reached: Postgres (keys not cached, the API’s records) or Redis (dashboard sessions) */
                503: {
                    headers: {
                        /** @description Seconds to wait before trying again */
                        "retry-after"?: string;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error503"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/api-keys/{id}/ips": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * A key’s distinct IPs per hour
         * @description Distinct client IPs per UTC hour; kept for 8 days, the default range.
         */
        get: {
            parameters: {
                query?: {
                    /** @description Start (ISO 8601 date or time); default: the key’s or org’s creation */
                    from?: string;
                    /** @description End (ISO 8601 date or time); default: now */
                    to?: string;
                };
                header?: never;
                path: {
                    /** @description The resource’s id */
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Distinct IPs per hour */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["DistinctIps"];
                    };
                };
                /** @description The request is malformed; the message names each field and what is wrong with it */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error400"];
                    };
                };
                /** @description No key, a malformed Authorization header, a key that is unknown, revoked or expired, or a session that has ended */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error401"];
                    };
                };
                /** @description The key lacks a required scope, the client IP is outside its allowlist, (management) the key was rotated out, or a cookie-authenticated request came from another origin */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error403"];
                    };
                };
                /** @description No such resource in the caller’s org */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error404"];
                    };
                };
                /** @description Over the key’s rate limit, or too many unknown keys from one source */
                429: {
                    headers: {
                        /** @description Seconds to wait before trying again */
                        "retry-after"?: string;
                        /** @description Requests the key may make per period */
                        "x-ratelimit-limit"?: string;
                        /** @description Requests left in this period */
                        "x-ratelimit-remaining"?: string;
                        /** @description Unix time (seconds) at which the period ends */
                        "x-ratelimit-reset"?: string;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error429"];
                    };
                };
                /** @description An unexpected failure; the body never carries details */
                500: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error500"];
                    };
                };
                /** @description A store the answer needs cannot be reached: Postgres (keys not cached, the API’s records) or Redis (dashboard sessions) */
                503: {
                    headers: {
                        /** @description Seconds to wait before trying again */
                        "retry-after"?: string;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error503"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/usage": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * The org’s usage
         * @description Every key’s usage and the org’s totals; `from` defaults to the org’s creation, `to` to now. A range holding too many buckets is refused (400): narrow it.
         */
        get: {
            parameters: {
                query?: {
                    /** @description Start (ISO 8601 date or time); default: the key’s or org’s creation */
                    from?: string;
                    /** @description End (ISO 8601 date or time); default: now */
                    to?: string;
                    /** @description Size of each point of the series */
                    granularity?: "minute" | "hour" | "day";
                    /** @description `summary`: each key’s counts without its series or countries (the totals keep theirs), for views of many keys */
                    detail?: "series" | "summary";
                    /** @description Only the N keys with the most verifications in the range, most first (at most 100; 0: the totals alone); without it, every key, oldest first */
                    top?: number;
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description The usage report; CSV when `Accept: text/csv` */
                200: {
                    headers: {
                        /** @description With CSV: an attachment and its file name */
                        "content-disposition"?: string;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["OrgUsageReport"];
                        "text/csv": string;
                    };
                };
                /** @description The request is malformed; the message names each field and what is wrong with it */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error400"];
                    };
                };
                /** @description No key, a malformed Authorization header, a key that is unknown, revoked or expired, or a session that has ended */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error401"];
                    };
                };
                /** @description The key lacks a required scope, the client IP is outside its allowlist, (management) the key was rotated out, or a cookie-authenticated request came from another origin */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error403"];
                    };
                };
                /** @description Over the key’s rate limit, or too many unknown keys from one source */
                429: {
                    headers: {
                        /** @description Seconds to wait before trying again */
                        "retry-after"?: string;
                        /** @description Requests the key may make per period */
                        "x-ratelimit-limit"?: string;
                        /** @description Requests left in this period */
                        "x-ratelimit-remaining"?: string;
                        /** @description Unix time (seconds) at which the period ends */
                        "x-ratelimit-reset"?: string;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error429"];
                    };
                };
                /** @description An unexpected failure; the body never carries details */
                500: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error500"];
                    };
                };
                /** @description A store the answer needs cannot be reached: Postgres (keys not cached, the API’s records) or Redis (dashboard sessions) */
                503: {
                    headers: {
                        /** @description Seconds to wait before trying again */
                        "retry-after"?: string;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error503"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/countries": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Use by country
         * @description Verifications by client country within the range (the same buckets as the usage report, so the counts agree), with when each country was first and last seen.
         */
        get: {
            parameters: {
                query?: {
                    /** @description Start (ISO 8601 date or time); default: the key’s or org’s creation */
                    from?: string;
                    /** @description End (ISO 8601 date or time); default: now */
                    to?: string;
                    /** @description Size of each point of the series */
                    granularity?: "minute" | "hour" | "day";
                    /** @description Only this key’s use */
                    keyId?: string;
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Countries, most used first */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Countries"];
                    };
                };
                /** @description The request is malformed; the message names each field and what is wrong with it */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error400"];
                    };
                };
                /** @description No key, a malformed Authorization header, a key that is unknown, revoked or expired, or a session that has ended */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error401"];
                    };
                };
                /** @description The key lacks a required scope, the client IP is outside its allowlist, (management) the key was rotated out, or a cookie-authenticated request came from another origin */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error403"];
                    };
                };
                /** @description No such resource in the caller’s org */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error404"];
                    };
                };
                /** @description Over the key’s rate limit, or too many unknown keys from one source */
                429: {
                    headers: {
                        /** @description Seconds to wait before trying again */
                        "retry-after"?: string;
                        /** @description Requests the key may make per period */
                        "x-ratelimit-limit"?: string;
                        /** @description Requests left in this period */
                        "x-ratelimit-remaining"?: string;
                        /** @description Unix time (seconds) at which the period ends */
                        "x-ratelimit-reset"?: string;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error429"];
                    };
                };
                /** @description An unexpected failure; the body never carries details */
                500: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error500"];
                    };
                };
                /** @description A store the answer needs cannot be reached: Postgres (keys not cached, the API’s records) or Redis (dashboard sessions) */
                503: {
                    headers: {
                        /** @description Seconds to wait before trying again */
                        "retry-after"?: string;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error503"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/alerts": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * List alerts
         * @description The org’s alerts, newest first, each with its deliveries.
         */
        get: {
            parameters: {
                query?: {
                    /** @description Only this key’s alerts */
                    keyId?: string;
                    /** @description Only firing or only resolved alerts */
                    state?: "firing" | "resolved";
                    /** @description Only this rule’s alerts */
                    rule?: "highUsage" | "failures" | "unusualActivity";
                    /** @description Only alerts of this severity */
                    severity?: "warning" | "critical";
                    /** @description Alerts per page (default 100) */
                    limit?: number;
                    /** @description The `nextCursor` of the previous page */
                    cursor?: string;
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description A page of alerts */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            alerts: components["schemas"]["Alert"][];
                            /** @description Pass as `cursor` for the next page; null at the end */
                            nextCursor: string | null;
                        };
                    };
                };
                /** @description The request is malformed; the message names each field and what is wrong with it */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error400"];
                    };
                };
                /** @description No key, a malformed Authorization header, a key that is unknown, revoked or expired, or a session that has ended */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error401"];
                    };
                };
                /** @description The key lacks a required scope, the client IP is outside its allowlist, (management) the key was rotated out, or a cookie-authenticated request came from another origin */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error403"];
                    };
                };
                /** @description Over the key’s rate limit, or too many unknown keys from one source */
                429: {
                    headers: {
                        /** @description Seconds to wait before trying again */
                        "retry-after"?: string;
                        /** @description Requests the key may make per period */
                        "x-ratelimit-limit"?: string;
                        /** @description Requests left in this period */
                        "x-ratelimit-remaining"?: string;
                        /** @description Unix time (seconds) at which the period ends */
                        "x-ratelimit-reset"?: string;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error429"];
                    };
                };
                /** @description An unexpected failure; the body never carries details */
                500: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error500"];
                    };
                };
                /** @description A store the answer needs cannot be reached: Postgres (keys not cached, the API’s records) or Redis (dashboard sessions) */
                503: {
                    headers: {
                        /** @description Seconds to wait before trying again */
                        "retry-after"?: string;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error503"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/alerts/preview": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Preview alert settings
         * @description What these settings would have fired over the org’s stored usage in [from, to) (or one key’s), from its hourly aggregates: each hour is decided once, when it ends, the weeks before `from` building the baselines. Nothing is recorded or sent. The range is at most 31 days, and holds at most 100000 hours in which a key was used (else `400` naming `from`: narrow it, or name a `keyId`).
         */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": components["schemas"]["AlertPreviewRequest"];
                };
            };
            responses: {
                /** @description The alerts the settings would have fired */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["AlertPreview"];
                    };
                };
                /** @description The request is malformed; the message names each field and what is wrong with it */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error400"];
                    };
                };
                /** @description No key, a malformed Authorization header, a key that is unknown, revoked or expired, or a session that has ended */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error401"];
                    };
                };
                /** @description The key lacks a required scope, the client IP is outside its allowlist, (management) the key was rotated out, or a cookie-authenticated request came from another origin */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error403"];
                    };
                };
                /** @description No such resource in the caller’s org */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error404"];
                    };
                };
                /** @description The request body is larger than the verifier accepts (64 KiB) */
                413: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error413"];
                    };
                };
                /** @description The request body is not JSON */
                415: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error415"];
                    };
                };
                /** @description Over the key’s rate limit, or too many unknown keys from one source */
                429: {
                    headers: {
                        /** @description Seconds to wait before trying again */
                        "retry-after"?: string;
                        /** @description Requests the key may make per period */
                        "x-ratelimit-limit"?: string;
                        /** @description Requests left in this period */
                        "x-ratelimit-remaining"?: string;
                        /** @description Unix time (seconds) at which the period ends */
                        "x-ratelimit-reset"?: string;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error429"];
                    };
                };
                /** @description An unexpected failure; the body never carries details */
                500: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error500"];
                    };
                };
                /** @description A store the answer needs cannot be reached: Postgres (keys not cached, the API’s records) or Redis (dashboard sessions) */
                503: {
                    headers: {
                        /** @description Seconds to wait before trying again */
                        "retry-after"?: string;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error503"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/alert-settings": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Get the org’s alert settings */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description The org’s alert settings */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["OrgAlertSettings"];
                    };
                };
                /** @description No key, a malformed Authorization header, a key that is unknown, revoked or expired, or a session that has ended */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error401"];
                    };
                };
                /** @description The key lacks a required scope, the client IP is outside its allowlist, (management) the key was rotated out, or a cookie-authenticated request came from another origin */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error403"];
                    };
                };
                /** @description Over the key’s rate limit, or too many unknown keys from one source */
                429: {
                    headers: {
                        /** @description Seconds to wait before trying again */
                        "retry-after"?: string;
                        /** @description Requests the key may make per period */
                        "x-ratelimit-limit"?: string;
                        /** @description Requests left in this period */
                        "x-ratelimit-remaining"?: string;
                        /** @description Unix time (seconds) at which the period ends */
                        "x-ratelimit-reset"?: string;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error429"];
                    };
                };
                /** @description An unexpected failure; the body never carries details */
                500: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error500"];
                    };
                };
                /** @description A store the answer needs cannot be reached: Postgres (keys not cached, the API’s records) or Redis (dashboard sessions) */
                503: {
                    headers: {
                        /** @description Seconds to wait before trying again */
                        "retry-after"?: string;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error503"];
                    };
                };
            };
        };
        /**
         * Replace the org’s alert settings
         * @description Replaces the org’s defaults; `{ "alerts": null }` clears them.
         */
        put: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": components["schemas"]["OrgAlertSettingsInput"];
                };
            };
            responses: {
                /** @description The org’s alert settings */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["OrgAlertSettings"];
                    };
                };
                /** @description The request is malformed; the message names each field and what is wrong with it */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error400"];
                    };
                };
                /** @description No key, a malformed Authorization header, a key that is unknown, revoked or expired, or a session that has ended */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error401"];
                    };
                };
                /** @description The key lacks a required scope, the client IP is outside its allowlist, (management) the key was rotated out, or a cookie-authenticated request came from another origin */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error403"];
                    };
                };
                /** @description The request body is larger than the verifier accepts (64 KiB) */
                413: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error413"];
                    };
                };
                /** @description The request body is not JSON */
                415: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error415"];
                    };
                };
                /** @description Over the key’s rate limit, or too many unknown keys from one source */
                429: {
                    headers: {
                        /** @description Seconds to wait before trying again */
                        "retry-after"?: string;
                        /** @description Requests the key may make per period */
                        "x-ratelimit-limit"?: string;
                        /** @description Requests left in this period */
                        "x-ratelimit-remaining"?: string;
                        /** @description Unix time (seconds) at which the period ends */
                        "x-ratelimit-reset"?: string;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error429"];
                    };
                };
                /** @description An unexpected failure; the body never carries details */
                500: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error500"];
                    };
                };
                /** @description A store the answer needs cannot be reached: Postgres (keys not cached, the API’s records) or Redis (dashboard sessions) */
                503: {
                    headers: {
                        /** @description Seconds to wait before trying again */
                        "retry-after"?: string;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error503"];
                    };
                };
            };
        };
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/silences": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * List silences
         * @description The silences in force, newest first.
         */
        get: {
            parameters: {
                query?: {
                    /** @description Rows per page (at most 1000); without limit and cursor, the whole list */
                    limit?: number;
                    /** @description The `nextCursor` of the previous page */
                    cursor?: string;
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description A page of silences */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            silences: components["schemas"]["Silence"][];
                            /** @description Pass as `cursor` for the next page; null at the end */
                            nextCursor: string | null;
                        };
                    };
                };
                /** @description The request is malformed; the message names each field and what is wrong with it */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error400"];
                    };
                };
                /** @description No key, a malformed Authorization header, a key that is unknown, revoked or expired, or a session that has ended */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error401"];
                    };
                };
                /** @description The key lacks a required scope, the client IP is outside its allowlist, (management) the key was rotated out, or a cookie-authenticated request came from another origin */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error403"];
                    };
                };
                /** @description Over the key’s rate limit, or too many unknown keys from one source */
                429: {
                    headers: {
                        /** @description Seconds to wait before trying again */
                        "retry-after"?: string;
                        /** @description Requests the key may make per period */
                        "x-ratelimit-limit"?: string;
                        /** @description Requests left in this period */
                        "x-ratelimit-remaining"?: string;
                        /** @description Unix time (seconds) at which the period ends */
                        "x-ratelimit-reset"?: string;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error429"];
                    };
                };
                /** @description An unexpected failure; the body never carries details */
                500: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error500"];
                    };
                };
                /** @description A store the answer needs cannot be reached: Postgres (keys not cached, the API’s records) or Redis (dashboard sessions) */
                503: {
                    headers: {
                        /** @description Seconds to wait before trying again */
                        "retry-after"?: string;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error503"];
                    };
                };
            };
        };
        put?: never;
        /**
         * Silence alerts
         * @description Mutes the notifications of matching alerts until `until`; the alerts are still recorded.
         */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": components["schemas"]["NewSilence"];
                };
            };
            responses: {
                /** @description The silence */
                201: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Silence"];
                    };
                };
                /** @description The request is malformed; the message names each field and what is wrong with it */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error400"];
                    };
                };
                /** @description No key, a malformed Authorization header, a key that is unknown, revoked or expired, or a session that has ended */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error401"];
                    };
                };
                /** @description The key lacks a required scope, the client IP is outside its allowlist, (management) the key was rotated out, or a cookie-authenticated request came from another origin */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error403"];
                    };
                };
                /** @description No such resource in the caller’s org */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error404"];
                    };
                };
                /** @description The resource’s state refuses the change (an org at one of its bounds, a key already rotated) */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error409"];
                    };
                };
                /** @description The request body is larger than the verifier accepts (64 KiB) */
                413: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error413"];
                    };
                };
                /** @description The request body is not JSON */
                415: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error415"];
                    };
                };
                /** @description Over the key’s rate limit, or too many unknown keys from one source */
                429: {
                    headers: {
                        /** @description Seconds to wait before trying again */
                        "retry-after"?: string;
                        /** @description Requests the key may make per period */
                        "x-ratelimit-limit"?: string;
                        /** @description Requests left in this period */
                        "x-ratelimit-remaining"?: string;
                        /** @description Unix time (seconds) at which the period ends */
                        "x-ratelimit-reset"?: string;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error429"];
                    };
                };
                /** @description An unexpected failure; the body never carries details */
                500: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error500"];
                    };
                };
                /** @description A store the answer needs cannot be reached: Postgres (keys not cached, the API’s records) or Redis (dashboard sessions) */
                503: {
                    headers: {
                        /** @description Seconds to wait before trying again */
                        "retry-after"?: string;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error503"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/silences/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        /**
         * Lift a silence
         * @description The silence ends now; a silence already over is not found.
         */
        delete: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    /** @description The resource’s id */
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description The lifted silence */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Silence"];
                    };
                };
                /** @description No key, a malformed Authorization header, a key that is unknown, revoked or expired, or a session that has ended */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error401"];
                    };
                };
                /** @description The key lacks a required scope, the client IP is outside its allowlist, (management) the key was rotated out, or a cookie-authenticated request came from another origin */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error403"];
                    };
                };
                /** @description No such resource in the caller’s org */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error404"];
                    };
                };
                /** @description Over the key’s rate limit, or too many unknown keys from one source */
                429: {
                    headers: {
                        /** @description Seconds to wait before trying again */
                        "retry-after"?: string;
                        /** @description Requests the key may make per period */
                        "x-ratelimit-limit"?: string;
                        /** @description Requests left in this period */
                        "x-ratelimit-remaining"?: string;
                        /** @description Unix time (seconds) at which the period ends */
                        "x-ratelimit-reset"?: string;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error429"];
                    };
                };
                /** @description An unexpected failure; the body never carries details */
                500: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error500"];
                    };
                };
                /** @description A store the answer needs cannot be reached: Postgres (keys not cached, the API’s records) or Redis (dashboard sessions) */
                503: {
                    headers: {
                        /** @description Seconds to wait before trying again */
                        "retry-after"?: string;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error503"];
                    };
                };
            };
        };
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/webhook-secret": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Create or rotate the webhook secret
         * @description Webhooks are signed with it (`X-Keywatch-Signature`); after a rotation the previous secret keeps signing beside it for 24 h.
         */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description The new secret */
                201: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["WebhookSecret"];
                    };
                };
                /** @description No key, a malformed Authorization header, a key that is unknown, revoked or expired, or a session that has ended */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error401"];
                    };
                };
                /** @description The key lacks a required scope, the client IP is outside its allowlist, (management) the key was rotated out, or a cookie-authenticated request came from another origin */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error403"];
                    };
                };
                /** @description Over the key’s rate limit, or too many unknown keys from one source */
                429: {
                    headers: {
                        /** @description Seconds to wait before trying again */
                        "retry-after"?: string;
                        /** @description Requests the key may make per period */
                        "x-ratelimit-limit"?: string;
                        /** @description Requests left in this period */
                        "x-ratelimit-remaining"?: string;
                        /** @description Unix time (seconds) at which the period ends */
                        "x-ratelimit-reset"?: string;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error429"];
                    };
                };
                /** @description An unexpected failure; the body never carries details */
                500: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error500"];
                    };
                };
                /** @description A store the answer needs cannot be reached: Postgres (keys not cached, the API’s records) or Redis (dashboard sessions) */
                503: {
                    headers: {
                        /** @description Seconds to wait before trying again */
                        "retry-after"?: string;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error503"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
};
export type webhooks = Record<string, never>;
export type components = {
    schemas: {
        /**
         * @description The org’s default alert settings, which each key’s own settings override field by field
         * @example {
         *       "alerts": {
         *         "unusualActivity": true,
         *         "highUsage": {
         *           "threshold": 10000,
         *           "period": "daily"
         *         },
         *         "failures": {
         *           "threshold": 100,
         *           "period": "hourly"
         *         },
         *         "channels": {
         *           "slack": "#security",
         *           "email": [
         *             "secops@example.com"
         *           ]
         *         }
         *       }
         *     }
         */
        OrgAlertSettingsInput: {
            /** @description The org’s defaults; null: none (the installation’s) */
            alerts: {
                unusualActivity?: boolean | {
                    enabled: boolean;
                    learningDays?: number;
                    /** @enum {string} */
                    sensitivity?: "low" | "medium" | "high";
                };
                highUsage?: {
                    threshold: number;
                    /** @enum {string} */
                    period: "hourly" | "daily";
                    warnAt?: number | null;
                    notifyResolved?: boolean;
                };
                channels?: {
                    slack?: string;
                    email?: string[];
                    /** Format: uri */
                    webhook?: string;
                    security?: {
                        slack?: string;
                        email?: string[];
                        /** Format: uri */
                        webhook?: string;
                    };
                };
                failures?: {
                    threshold: number;
                    /** @enum {string} */
                    period: "hourly" | "daily";
                    rate?: number;
                    minRequests?: number;
                    notifyResolved?: boolean;
                };
            } | null;
        };
        /**
         * @description What a new key is given; `personal` keys need `ownerEmail`
         * @example {
         *       "name": "billing-service",
         *       "scopes": [
         *         "agents:read",
         *         "data:read"
         *       ],
         *       "expiresAt": "2027-06-01",
         *       "ipAllowlist": [
         *         "203.0.113.0/24"
         *       ],
         *       "rateLimit": {
         *         "limit": 600,
         *         "period": "minute"
         *       },
         *       "alerts": {
         *         "failures": {
         *           "threshold": 50,
         *           "period": "hourly"
         *         }
         *       }
         *     }
         */
        NewApiKey: {
            name: string;
            scopes: ("chat" | "agents:read" | "agents:write" | "agents:delete" | "data:read" | "data:write" | "analytics:read" | "admin")[];
            expiresAt?: string;
            /**
             * @default organization
             * @enum {string}
             */
            type?: "organization" | "personal" | "scoped";
            /** Format: email */
            ownerEmail?: string;
            ipAllowlist?: (string)[];
            rateLimit?: {
                limit: number;
                /** @enum {string} */
                period: "second" | "minute" | "hour";
            };
            alerts?: {
                unusualActivity?: boolean | {
                    enabled: boolean;
                    learningDays?: number;
                    /** @enum {string} */
                    sensitivity?: "low" | "medium" | "high";
                };
                highUsage?: {
                    threshold: number;
                    /** @enum {string} */
                    period: "hourly" | "daily";
                    warnAt?: number | null;
                    notifyResolved?: boolean;
                };
                channels?: {
                    slack?: string;
                    email?: string[];
                    /** Format: uri */
                    webhook?: string;
                    security?: {
                        slack?: string;
                        email?: string[];
                        /** Format: uri */
                        webhook?: string;
                    };
                };
                failures?: {
                    threshold: number;
                    /** @enum {string} */
                    period: "hourly" | "daily";
                    rate?: number;
                    minRequests?: number;
                    notifyResolved?: boolean;
                };
            };
        };
        /**
         * @description The settings to change; `null` clears an optional one
         * @example {
         *       "scopes": [
         *         "agents:read"
         *       ],
         *       "rateLimit": null
         *     }
         */
        ApiKeyPatch: {
            name?: string;
            scopes?: ("chat" | "agents:read" | "agents:write" | "agents:delete" | "data:read" | "data:write" | "analytics:read" | "admin")[];
            ipAllowlist?: (string)[] | null;
            rateLimit?: {
                limit: number;
                /** @enum {string} */
                period: "second" | "minute" | "hour";
            } | null;
            alerts?: {
                unusualActivity?: boolean | {
                    enabled: boolean;
                    learningDays?: number;
                    /** @enum {string} */
                    sensitivity?: "low" | "medium" | "high";
                };
                highUsage?: {
                    threshold: number;
                    /** @enum {string} */
                    period: "hourly" | "daily";
                    warnAt?: number | null;
                    notifyResolved?: boolean;
                };
                channels?: {
                    slack?: string;
                    email?: string[];
                    /** Format: uri */
                    webhook?: string;
                    security?: {
                        slack?: string;
                        email?: string[];
                        /** Format: uri */
                        webhook?: string;
                    };
                };
                failures?: {
                    threshold: number;
                    /** @enum {string} */
                    period: "hourly" | "daily";
                    rate?: number;
                    minRequests?: number;
                    notifyResolved?: boolean;
                };
            } | null;
        };
        /**
         * @description How long the old key keeps working (default 24h, at most 30d; `0s` ends it at once)
         * @example {
         *       "gracePeriod": "24h"
         *     }
         */
        Rotation: {
            gracePeriod?: string;
        };
        /**
         * @description Alert settings to try over a range of the org’s stored usage (or one key’s)
         * @example {
         *       "alerts": {
         *         "highUsage": {
         *           "threshold": 1000,
         *           "period": "hourly"
         *         },
         *         "failures": {
         *           "threshold": 50,
         *           "period": "hourly"
         *         }
         *       },
         *       "from": "2026-11-22T00:00:00Z",
         *       "to": "2026-11-29T00:00:00Z"
         *     }
         */
        AlertPreviewRequest: {
            /** @description The settings to try, as the org’s defaults (the `alerts` of `PUT /api/alert-settings`); each key’s own settings still override them field by field */
            alerts: {
                unusualActivity?: boolean | {
                    enabled: boolean;
                    learningDays?: number;
                    /** @enum {string} */
                    sensitivity?: "low" | "medium" | "high";
                };
                highUsage?: {
                    threshold: number;
                    /** @enum {string} */
                    period: "hourly" | "daily";
                    warnAt?: number | null;
                    notifyResolved?: boolean;
                };
                channels?: {
                    slack?: string;
                    email?: string[];
                    /** Format: uri */
                    webhook?: string;
                    security?: {
                        slack?: string;
                        email?: string[];
                        /** Format: uri */
                        webhook?: string;
                    };
                };
                failures?: {
                    threshold: number;
                    /** @enum {string} */
                    period: "hourly" | "daily";
                    rate?: number;
                    minRequests?: number;
                    notifyResolved?: boolean;
                };
            };
            /**
             * Format: date-time
             * @description Start of the range (ISO 8601 time)
             */
            from: string;
            /**
             * Format: date-time
             * @description End of the range, exclusive (ISO 8601 time): after `from`, at most 31 days after it and 1 day ahead of now
             */
            to: string;
            /**
             * Format: uuid
             * @description Only this key of the org
             */
            keyId?: string;
        };
        /**
         * @description The admin key to sign in with; it is exchanged for the session cookie and not kept
         * @example {
         *       "key": "sk_live_Ab3xQ9…"
         *     }
         */
        SignIn: {
            /** @description An API key of the org with scope `admin` */
            key: string;
        };
        /**
         * @description What to mute (a key, a rule, or a rule of a key), until when, and why
         * @example {
         *       "keyId": "7f9c2e1a-3b4d-4c5e-8f60-1a2b3c4d5e6f",
         *       "until": "2026-11-30T09:00:00Z",
         *       "reason": "load test"
         *     }
         */
        NewSilence: {
            /**
             * Format: uuid
             * @description Mute this key’s alerts
             */
            keyId?: string;
            /**
             * @description Mute this rule’s alerts
             * @enum {string}
             */
            rule?: "highUsage" | "failures" | "unusualActivity";
            /**
             * Format: date-time
             * @description When the silence ends (at most 90 days ahead)
             */
            until: string;
            reason: string;
        };
        /**
         * @description A key to verify, the scopes it needs, and (from trusted peers) who used it
         * @example {
         *       "key": "sk_live_Ab3xQ9…",
         *       "scope": "agents:write",
         *       "ip": "203.0.113.7",
         *       "method": "POST",
         *       "path": "/v1/agents"
         *     }
         */
        VerifyRequest: {
            /** @description The secret to verify */
            key: string;
            /** @description Required scopes, comma-separated */
            scope?: string;
            /** @description The client’s address (believed from TRUSTED_PROXIES only) */
            ip?: string;
            /** @description The client’s method (believed from TRUSTED_PROXIES only) */
            method?: string;
            /** @description The client’s path (believed from TRUSTED_PROXIES only) */
            path?: string;
        };
        /**
         * @description The org’s default alert settings, which each key’s own settings override field by field
         * @example {
         *       "alerts": {
         *         "unusualActivity": true,
         *         "highUsage": {
         *           "threshold": 10000,
         *           "period": "daily"
         *         },
         *         "failures": {
         *           "threshold": 100,
         *           "period": "hourly"
         *         },
         *         "channels": {
         *           "slack": "#security",
         *           "email": [
         *             "secops@example.com"
         *           ]
         *         }
         *       }
         *     }
         */
        OrgAlertSettings: {
            /** @description The org’s defaults; null: none (the installation’s) */
            alerts: {
                unusualActivity?: boolean | {
                    enabled: boolean;
                    learningDays?: number;
                    /** @enum {string} */
                    sensitivity?: "low" | "medium" | "high";
                };
                highUsage?: {
                    threshold: number;
                    /** @enum {string} */
                    period: "hourly" | "daily";
                    warnAt?: number | null;
                    notifyResolved?: boolean;
                };
                channels?: {
                    slack?: string;
                    email?: string[];
                    /** Format: uri */
                    webhook?: string;
                    security?: {
                        slack?: string;
                        email?: string[];
                        /** Format: uri */
                        webhook?: string;
                    };
                };
                failures?: {
                    threshold: number;
                    /** @enum {string} */
                    period: "hourly" | "daily";
                    rate?: number;
                    minRequests?: number;
                    notifyResolved?: boolean;
                };
            } | null;
        };
        /**
         * @description An alert recorded by a rule, with its deliveries
         * @example {
         *       "id": "c1d2e3f4-a5b6-4c7d-8e9f-0a1b2c3d4e5f",
         *       "keyId": "7f9c2e1a-3b4d-4c5e-8f60-1a2b3c4d5e6f",
         *       "rule": "failures",
         *       "subject": "critical",
         *       "severity": "critical",
         *       "state": "firing",
         *       "window": {
         *         "period": "hourly",
         *         "start": "2026-11-29T15:00:00.000Z",
         *         "end": "2026-11-29T16:00:00.000Z"
         *       },
         *       "value": 140,
         *       "threshold": 100,
         *       "details": {
         *         "byCode": {
         *           "INVALID_API_KEY": 140
         *         }
         *       },
         *       "createdAt": "2026-11-29T15:41:02.511Z",
         *       "resolvedAt": null,
         *       "deliveries": [
         *         {
         *           "channel": "slack",
         *           "status": "sent",
         *           "attempts": 1,
         *           "error": null,
         *           "sentAt": "2026-11-29T15:41:03.020Z"
         *         }
         *       ]
         *     }
         */
        Alert: {
            /** Format: uuid */
            id: string;
            /** @description null for an org-wide alert (credential stuffing) */
            keyId: string | null;
            /** @enum {string} */
            rule: "highUsage" | "failures" | "unusualActivity";
            /** @description What within the rule and window: a severity level, or a signal such as `newCountry:BR` */
            subject: string;
            /** @enum {string} */
            severity: "warning" | "critical";
            /** @enum {string} */
            state: "firing" | "resolved";
            window: {
                /** @enum {string} */
                period: "hourly" | "daily";
                /** Format: date-time */
                start: string;
                /** Format: date-time */
                end: string;
            };
            value: number;
            threshold: number;
            /** @description What is normal for the key and what was seen */
            details: {
                [key: string]: unknown;
            };
            /** Format: date-time */
            createdAt: string;
            resolvedAt: string | null;
            /** @description Each notification of the alert, per channel */
            deliveries: {
                /** @enum {string} */
                channel: "slack" | "email" | "webhook" | "log";
                /** @enum {string} */
                status: "pending" | "sending" | "sent" | "failed" | "silenced" | "grouped" | "cancelled";
                attempts: number;
                /** @description Why the last attempt failed */
                error: string | null;
                sentAt: string | null;
            }[];
        };
        /**
         * @description An API key, without its secret
         * @example {
         *       "id": "7f9c2e1a-3b4d-4c5e-8f60-1a2b3c4d5e6f",
         *       "orgId": "0b8f4d2c-6a1e-4f3b-9c7d-2e5a8b1c4d6f",
         *       "name": "billing-service",
         *       "type": "organization",
         *       "ownerEmail": null,
         *       "prefix": "sk_live_Ab3x",
         *       "scopes": [
         *         "agents:read",
         *         "data:read"
         *       ],
         *       "ipAllowlist": null,
         *       "rateLimit": {
         *         "limit": 100,
         *         "period": "minute"
         *       },
         *       "alerts": null,
         *       "createdAt": "2026-11-01T09:00:00.000Z",
         *       "expiresAt": null,
         *       "revokedAt": null,
         *       "lastUsedAt": "2026-11-29T15:42:10.118Z",
         *       "lastUsedCountry": "DE",
         *       "rotationDueAt": null,
         *       "rotatedAt": null,
         *       "rotatedFromId": null
         *     }
         */
        ApiKey: {
            /** Format: uuid */
            id: string;
            /** Format: uuid */
            orgId: string;
            name: string;
            /** @enum {string} */
            type: "organization" | "personal" | "scoped";
            /** @description The owner of a personal key */
            ownerEmail: string | null;
            /** @description The first characters of the secret, to recognise it */
            prefix: string;
            scopes: ("chat" | "agents:read" | "agents:write" | "agents:delete" | "data:read" | "data:write" | "analytics:read" | "admin")[];
            /** @description CIDRs the key may be used from; null: anywhere */
            ipAllowlist: string[] | null;
            /** @description null: the default, 100 per minute */
            rateLimit: {
                limit: number;
                /** @enum {string} */
                period: "second" | "minute" | "hour";
            } | null;
            /** @description The key’s alert settings; null: the org’s */
            alerts: {
                unusualActivity?: boolean | {
                    enabled: boolean;
                    learningDays?: number;
                    /** @enum {string} */
                    sensitivity?: "low" | "medium" | "high";
                };
                highUsage?: {
                    threshold: number;
                    /** @enum {string} */
                    period: "hourly" | "daily";
                    warnAt?: number | null;
                    notifyResolved?: boolean;
                };
                channels?: {
                    slack?: string;
                    email?: string[];
                    /** Format: uri */
                    webhook?: string;
                    security?: {
                        slack?: string;
                        email?: string[];
                        /** Format: uri */
                        webhook?: string;
                    };
                };
                failures?: {
                    threshold: number;
                    /** @enum {string} */
                    period: "hourly" | "daily";
                    rate?: number;
                    minRequests?: number;
                    notifyResolved?: boolean;
                };
            } | null;
            /** Format: date-time */
            createdAt: string;
            expiresAt: string | null;
            revokedAt: string | null;
            lastUsedAt: string | null;
            /** @description ISO 3166 country of the last use, when known */
            lastUsedCountry: string | null;
            /** @description When the rotation scan flagged the key as due */
            rotationDueAt: string | null;
            /** @description When the key was rotated; it expires after its grace period */
            rotatedAt: string | null;
            /** @description The key this one replaced by rotation */
            rotatedFromId: string | null;
        };
        /**
         * @description A new key with its secret, which no later answer shows
         * @example {
         *       "id": "7f9c2e1a-3b4d-4c5e-8f60-1a2b3c4d5e6f",
         *       "orgId": "0b8f4d2c-6a1e-4f3b-9c7d-2e5a8b1c4d6f",
         *       "name": "billing-service",
         *       "type": "organization",
         *       "ownerEmail": null,
         *       "prefix": "sk_live_Ab3x",
         *       "scopes": [
         *         "agents:read",
         *         "data:read"
         *       ],
         *       "ipAllowlist": null,
         *       "rateLimit": {
         *         "limit": 100,
         *         "period": "minute"
         *       },
         *       "alerts": null,
         *       "createdAt": "2026-11-01T09:00:00.000Z",
         *       "expiresAt": null,
         *       "revokedAt": null,
         *       "lastUsedAt": "2026-11-29T15:42:10.118Z",
         *       "lastUsedCountry": "DE",
         *       "rotationDueAt": null,
         *       "rotatedAt": null,
         *       "rotatedFromId": null,
         *       "key": "sk_live_Ab3xQ9…"
         *     }
         */
        IssuedApiKey: {
            /** Format: uuid */
            id: string;
            /** Format: uuid */
            orgId: string;
            name: string;
            /** @enum {string} */
            type: "organization" | "personal" | "scoped";
            /** @description The owner of a personal key */
            ownerEmail: string | null;
            /** @description The first characters of the secret, to recognise it */
            prefix: string;
            scopes: ("chat" | "agents:read" | "agents:write" | "agents:delete" | "data:read" | "data:write" | "analytics:read" | "admin")[];
            /** @description CIDRs the key may be used from; null: anywhere */
            ipAllowlist: string[] | null;
            /** @description null: the default, 100 per minute */
            rateLimit: {
                limit: number;
                /** @enum {string} */
                period: "second" | "minute" | "hour";
            } | null;
            /** @description The key’s alert settings; null: the org’s */
            alerts: {
                unusualActivity?: boolean | {
                    enabled: boolean;
                    learningDays?: number;
                    /** @enum {string} */
                    sensitivity?: "low" | "medium" | "high";
                };
                highUsage?: {
                    threshold: number;
                    /** @enum {string} */
                    period: "hourly" | "daily";
                    warnAt?: number | null;
                    notifyResolved?: boolean;
                };
                channels?: {
                    slack?: string;
                    email?: string[];
                    /** Format: uri */
                    webhook?: string;
                    security?: {
                        slack?: string;
                        email?: string[];
                        /** Format: uri */
                        webhook?: string;
                    };
                };
                failures?: {
                    threshold: number;
                    /** @enum {string} */
                    period: "hourly" | "daily";
                    rate?: number;
                    minRequests?: number;
                    notifyResolved?: boolean;
                };
            } | null;
            /** Format: date-time */
            createdAt: string;
            expiresAt: string | null;
            revokedAt: string | null;
            lastUsedAt: string | null;
            /** @description ISO 3166 country of the last use, when known */
            lastUsedCountry: string | null;
            /** @description When the rotation scan flagged the key as due */
            rotationDueAt: string | null;
            /** @description When the key was rotated; it expires after its grace period */
            rotatedAt: string | null;
            /** @description The key this one replaced by rotation */
            rotatedFromId: string | null;
            /** @description The secret: shown in this answer only, store it now */
            key: string;
        };
        /**
         * @description An alert the settings would have raised, as `GET /api/alerts` shows one without its deliveries. Nothing was recorded or sent: its `id` names it in this answer only.
         * @example {
         *       "id": "c1d2e3f4-a5b6-4c7d-8e9f-0a1b2c3d4e5f",
         *       "keyId": "7f9c2e1a-3b4d-4c5e-8f60-1a2b3c4d5e6f",
         *       "rule": "highUsage",
         *       "subject": "critical",
         *       "severity": "critical",
         *       "state": "firing",
         *       "window": {
         *         "period": "hourly",
         *         "start": "2026-11-25T15:00:00.000Z",
         *         "end": "2026-11-25T16:00:00.000Z"
         *       },
         *       "value": 1240,
         *       "threshold": 1000,
         *       "details": {
         *         "topCountries": [
         *           {
         *             "country": "DE",
         *             "count": 1180
         *           }
         *         ]
         *       },
         *       "createdAt": "2026-11-25T15:59:59.999Z",
         *       "resolvedAt": null,
         *       "firedAt": "2026-11-25T15:59:59.999Z"
         *     }
         */
        PreviewedAlert: {
            /** Format: uuid */
            id: string;
            /** @description null for an org-wide alert (credential stuffing) */
            keyId: string | null;
            /** @enum {string} */
            rule: "highUsage" | "failures" | "unusualActivity";
            /** @description What within the rule and window: a severity level, or a signal such as `newCountry:BR` */
            subject: string;
            /** @enum {string} */
            severity: "warning" | "critical";
            /** @enum {string} */
            state: "firing" | "resolved";
            window: {
                /** @enum {string} */
                period: "hourly" | "daily";
                /** Format: date-time */
                start: string;
                /** Format: date-time */
                end: string;
            };
            value: number;
            threshold: number;
            /** @description What is normal for the key and what was seen */
            details: {
                [key: string]: unknown;
            };
            /** Format: date-time */
            createdAt: string;
            resolvedAt: string | null;
            /**
             * Format: date-time
             * @description When it would have fired: the end of the hour whose stored usage raised it
             */
            firedAt: string;
        };
        /**
         * @description What the settings would have fired over the range
         * @example {
         *       "alerts": [
         *         {
         *           "id": "c1d2e3f4-a5b6-4c7d-8e9f-0a1b2c3d4e5f",
         *           "keyId": "7f9c2e1a-3b4d-4c5e-8f60-1a2b3c4d5e6f",
         *           "rule": "highUsage",
         *           "subject": "critical",
         *           "severity": "critical",
         *           "state": "firing",
         *           "window": {
         *             "period": "hourly",
         *             "start": "2026-11-25T15:00:00.000Z",
         *             "end": "2026-11-25T16:00:00.000Z"
         *           },
         *           "value": 1240,
         *           "threshold": 1000,
         *           "details": {
         *             "topCountries": [
         *               {
         *                 "country": "DE",
         *                 "count": 1180
         *               }
         *             ]
         *           },
         *           "createdAt": "2026-11-25T15:59:59.999Z",
         *           "resolvedAt": null,
         *           "firedAt": "2026-11-25T15:59:59.999Z"
         *         }
         *       ]
         *     }
         */
        AlertPreview: {
            /** @description In the order they would have fired */
            alerts: components["schemas"]["PreviewedAlert"][];
        };
        /**
         * @description Distinct client IPs per UTC hour (hours without use are left out)
         * @example {
         *       "keyId": "7f9c2e1a-3b4d-4c5e-8f60-1a2b3c4d5e6f",
         *       "series": [
         *         {
         *           "t": "2026-11-29T15:00:00.000Z",
         *           "distinctIps": 3
         *         }
         *       ]
         *     }
         */
        DistinctIps: {
            /** Format: uuid */
            keyId: string;
            series: {
                /**
                 * Format: date-time
                 * @description Start of the UTC hour
                 */
                t: string;
                distinctIps: number;
            }[];
        };
        /**
         * @description One key’s usage over a range
         * @example {
         *       "keyId": "7f9c2e1a-3b4d-4c5e-8f60-1a2b3c4d5e6f",
         *       "name": "billing-service",
         *       "requestCount": 1250,
         *       "successCount": 1200,
         *       "failureCount": 50,
         *       "failureRate": 0.04,
         *       "lastUsedAt": "2026-11-29T15:42:10.118Z",
         *       "byCode": {
         *         "VALID": 1200,
         *         "INVALID_API_KEY": 30,
         *         "RATE_LIMITED": 20
         *       },
         *       "countries": [
         *         {
         *           "country": "DE",
         *           "count": 1100
         *         }
         *       ],
         *       "series": [
         *         {
         *           "t": "2026-11-29T00:00:00.000Z",
         *           "total": 1250,
         *           "success": 1200,
         *           "failure": 50
         *         }
         *       ]
         *     }
         */
        UsageReport: {
            /** Format: uuid */
            keyId: string;
            /** @description The key’s name */
            name: string;
            requestCount: number;
            successCount: number;
            failureCount: number;
            /** @description failureCount / requestCount (0 without requests) */
            failureRate: number;
            lastUsedAt: string | null;
            /** @description Verifications by result code */
            byCode: {
                [key: string]: number;
            };
            /** @description Most used first */
            countries: {
                country: string;
                count: number;
            }[];
            /** @description One point per bucket that saw use */
            series: {
                /**
                 * Format: date-time
                 * @description Start of the bucket
                 */
                t: string;
                total: number;
                success: number;
                failure: number;
            }[];
        };
        /**
         * @description The org’s keys over a range (every key, oldest first, or the most used with `top`) and its totals
         * @example {
         *       "orgId": "0b8f4d2c-6a1e-4f3b-9c7d-2e5a8b1c4d6f",
         *       "from": "2026-11-28T00:00:00.000Z",
         *       "to": "2026-11-29T16:00:00.000Z",
         *       "granularity": "day",
         *       "totals": {
         *         "keyId": null,
         *         "requestCount": 1250,
         *         "successCount": 1200,
         *         "failureCount": 50,
         *         "failureRate": 0.04,
         *         "lastUsedAt": "2026-11-29T15:42:10.118Z",
         *         "byCode": {
         *           "VALID": 1200,
         *           "INVALID_API_KEY": 30,
         *           "RATE_LIMITED": 20
         *         },
         *         "countries": [
         *           {
         *             "country": "DE",
         *             "count": 1100
         *           }
         *         ],
         *         "series": [
         *           {
         *             "t": "2026-11-29T00:00:00.000Z",
         *             "total": 1250,
         *             "success": 1200,
         *             "failure": 50
         *           }
         *         ],
         *         "activeKeys": 1
         *       },
         *       "keys": [
         *         {
         *           "keyId": "7f9c2e1a-3b4d-4c5e-8f60-1a2b3c4d5e6f",
         *           "name": "billing-service",
         *           "requestCount": 1250,
         *           "successCount": 1200,
         *           "failureCount": 50,
         *           "failureRate": 0.04,
         *           "lastUsedAt": "2026-11-29T15:42:10.118Z",
         *           "byCode": {
         *             "VALID": 1200,
         *             "INVALID_API_KEY": 30,
         *             "RATE_LIMITED": 20
         *           },
         *           "countries": [
         *             {
         *               "country": "DE",
         *               "count": 1100
         *             }
         *           ],
         *           "series": [
         *             {
         *               "t": "2026-11-29T00:00:00.000Z",
         *               "total": 1250,
         *               "success": 1200,
         *               "failure": 50
         *             }
         *           ]
         *         }
         *       ]
         *     }
         */
        OrgUsageReport: {
            /** Format: uuid */
            orgId: string;
            /** Format: date-time */
            from: string;
            /** Format: date-time */
            to: string;
            /** @enum {string} */
            granularity: "minute" | "hour" | "day";
            totals: {
                keyId: null;
                requestCount: number;
                successCount: number;
                failureCount: number;
                /** @description failureCount / requestCount (0 without requests) */
                failureRate: number;
                lastUsedAt: string | null;
                /** @description Verifications by result code */
                byCode: {
                    [key: string]: number;
                };
                /** @description Most used first */
                countries: {
                    country: string;
                    count: number;
                }[];
                /** @description One point per bucket that saw use */
                series: {
                    /**
                     * Format: date-time
                     * @description Start of the bucket
                     */
                    t: string;
                    total: number;
                    success: number;
                    failure: number;
                }[];
                /** @description Keys with at least one verification in the range */
                activeKeys: number;
            };
            /** @description Every key, oldest first; with `top`, the most used, most first */
            keys: components["schemas"]["UsageReport"][];
        };
        /**
         * @description Where the org’s (or one key’s) keys were used from, most used first
         * @example {
         *       "countries": [
         *         {
         *           "country": "DE",
         *           "count": 1100,
         *           "firstSeenAt": "2026-10-02T08:12:00.000Z",
         *           "lastSeenAt": "2026-11-29T15:42:10.118Z"
         *         }
         *       ]
         *     }
         */
        Countries: {
            countries: {
                /** @description ISO 3166-1 alpha-2 */
                country: string;
                /** @description Verifications from there within the range */
                count: number;
                /**
                 * Format: date-time
                 * @description First use from there, ever
                 */
                firstSeenAt: string;
                /**
                 * Format: date-time
                 * @description Last use from there, ever
                 */
                lastSeenAt: string;
            }[];
        };
        /**
         * @description The error body of a 401
         * @example {
         *       "error": {
         *         "code": "missing_auth_header",
         *         "message": "…"
         *       },
         *       "status": 401
         *     }
         */
        Error401: {
            error: {
                /** @enum {string} */
                code: "missing_auth_header" | "malformed_auth_header" | "invalid_api_key" | "expired_api_key";
                /** @description What went wrong, in words for people */
                message: string;
            };
            /** @constant */
            status: 401;
        };
        /**
         * @description The error body of a 403
         * @example {
         *       "error": {
         *         "code": "insufficient_scope",
         *         "message": "…"
         *       },
         *       "status": 403
         *     }
         */
        Error403: {
            error: {
                /** @enum {string} */
                code: "insufficient_scope" | "ip_not_allowed" | "key_rotated" | "csrf_refused";
                /** @description What went wrong, in words for people */
                message: string;
            };
            /** @constant */
            status: 403;
        };
        /**
         * @description The error body of a 429
         * @example {
         *       "error": {
         *         "code": "rate_limit_exceeded",
         *         "message": "…"
         *       },
         *       "status": 429
         *     }
         */
        Error429: {
            error: {
                /** @enum {string} */
                code: "rate_limit_exceeded";
                /** @description What went wrong, in words for people */
                message: string;
            };
            /** @constant */
            status: 429;
        };
        /**
         * @description The error body of a 500
         * @example {
         *       "error": {
         *         "code": "internal_error",
         *         "message": "…"
         *       },
         *       "status": 500
         *     }
         */
        Error500: {
            error: {
                /** @enum {string} */
                code: "internal_error";
                /** @description What went wrong, in words for people */
                message: string;
            };
            /** @constant */
            status: 500;
        };
        /**
         * @description The error body of a 503
         * @example {
         *       "error": {
         *         "code": "service_unavailable",
         *         "message": "…"
         *       },
         *       "status": 503
         *     }
         */
        Error503: {
            error: {
                /** @enum {string} */
                code: "service_unavailable";
                /** @description What went wrong, in words for people */
                message: string;
            };
            /** @constant */
            status: 503;
        };
        /**
         * @description Whether the verifier can serve
         * @example {
         *       "ok": true,
         *       "checks": {
         *         "postgres": "ok"
         *       }
         *     }
         */
        Health: {
            ok: boolean;
            checks: {
                /** @enum {string} */
                postgres: "ok" | "failing";
            };
        };
        /**
         * @description Matching alerts are still recorded, but not notified, until `until`
         * @example {
         *       "id": "5e6f7a8b-9c0d-4e1f-a2b3-c4d5e6f7a8b9",
         *       "keyId": "7f9c2e1a-3b4d-4c5e-8f60-1a2b3c4d5e6f",
         *       "rule": null,
         *       "until": "2026-11-30T09:00:00.000Z",
         *       "reason": "load test",
         *       "createdBy": "3a4b5c6d-7e8f-4a9b-8c0d-1e2f3a4b5c6d",
         *       "createdAt": "2026-11-29T16:00:00.000Z"
         *     }
         */
        Silence: {
            /** Format: uuid */
            id: string;
            keyId: string | null;
            rule: ("highUsage" | "failures" | "unusualActivity") | null;
            /** Format: date-time */
            until: string;
            reason: string;
            /** @description The key that created it */
            createdBy: string | null;
            /** Format: date-time */
            createdAt: string;
        };
        /**
         * @description Whether the key may proceed and, if not, why (the code an AuthEvent carries)
         * @example {
         *       "valid": true,
         *       "code": "VALID",
         *       "keyId": "7f9c2e1a-3b4d-4c5e-8f60-1a2b3c4d5e6f",
         *       "orgId": "0b8f4d2c-6a1e-4f3b-9c7d-2e5a8b1c4d6f",
         *       "scopes": [
         *         "agents:read",
         *         "agents:write"
         *       ],
         *       "expiresAt": null,
         *       "ratelimit": {
         *         "limit": 100,
         *         "remaining": 99,
         *         "reset": 1796000040
         *       }
         *     }
         */
        Verdict: {
            valid: boolean;
            /** @enum {string} */
            code: "VALID" | "MISSING_AUTH_HEADER" | "MALFORMED_AUTH_HEADER" | "INVALID_API_KEY" | "REVOKED" | "EXPIRED" | "INSUFFICIENT_SCOPE" | "IP_NOT_ALLOWED" | "RATE_LIMITED";
            keyId: string | null;
            orgId: string | null;
            scopes: string[] | null;
            expiresAt: string | null;
            ratelimit: {
                limit: number;
                remaining: number;
                /** @description Unix time (seconds) at which the period ends */
                reset: number;
            } | null;
        };
        /**
         * @description The org’s new signing secret
         * @example {
         *       "secret": "whsec_…"
         *     }
         */
        WebhookSecret: {
            /** @description Shown in this answer only */
            secret: string;
        };
        /**
         * @description The error body of a 400
         * @example {
         *       "error": {
         *         "code": "invalid_request",
         *         "message": "…"
         *       },
         *       "status": 400
         *     }
         */
        Error400: {
            error: {
                /** @enum {string} */
                code: "invalid_request";
                /** @description What went wrong, in words for people */
                message: string;
            };
            /** @constant */
            status: 400;
        };
        /**
         * @description The error body of a 413
         * @example {
         *       "error": {
         *         "code": "payload_too_large",
         *         "message": "…"
         *       },
         *       "status": 413
         *     }
         */
        Error413: {
            error: {
                /** @enum {string} */
                code: "payload_too_large";
                /** @description What went wrong, in words for people */
                message: string;
            };
            /** @constant */
            status: 413;
        };
        /**
         * @description The error body of a 415
         * @example {
         *       "error": {
         *         "code": "unsupported_media_type",
         *         "message": "…"
         *       },
         *       "status": 415
         *     }
         */
        Error415: {
            error: {
                /** @enum {string} */
                code: "unsupported_media_type";
                /** @description What went wrong, in words for people */
                message: string;
            };
            /** @constant */
            status: 415;
        };
        /**
         * @description The error body of a 409
         * @example {
         *       "error": {
         *         "code": "conflict",
         *         "message": "…"
         *       },
         *       "status": 409
         *     }
         */
        Error409: {
            error: {
                /** @enum {string} */
                code: "conflict";
                /** @description What went wrong, in words for people */
                message: string;
            };
            /** @constant */
            status: 409;
        };
        /**
         * @description The error body of a 404
         * @example {
         *       "error": {
         *         "code": "not_found",
         *         "message": "…"
         *       },
         *       "status": 404
         *     }
         */
        Error404: {
            error: {
                /** @enum {string} */
                code: "not_found";
                /** @description What went wrong, in words for people */
                message: string;
            };
            /** @constant */
            status: 404;
        };
    };
    responses: never;
    parameters: never;
    requestBodies: never;
    headers: never;
    pathItems: never;
};
export type $defs = Record<string, never>;
export type operations = Record<string, never>;
