export const id = 361;
export const ids = [361];
export const modules = {

/***/ 361:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   ecrCredentials: () => (/* binding */ ecrCredentials)
/* harmony export */ });
/* unused harmony export decodeAuthorizationToken */
/* harmony import */ var _aws_sdk_client_ecr__WEBPACK_IMPORTED_MODULE_4__ = __webpack_require__(8249);
/* harmony import */ var _core_aws_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(3878);
/* harmony import */ var _core_errors_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(4296);
/* harmony import */ var _constants_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(7698);
/* harmony import */ var _core_secrets_js__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(8198);
/**
 * ECR login through the AWS SDK: GetAuthorizationToken returns base64 `AWS:<password>`, valid 12 hours,
 * for every registry the caller may reach. No AWS CLI needed; credentials come from the default chain.
 */





/** Decodes an ECR authorizationToken (base64 `user:password`). */
function decodeAuthorizationToken(token) {
    const decoded = Buffer.from(token, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    if (colon <= 0 || colon === decoded.length - 1)
        return undefined;
    return { username: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
}
/** Fetches an ECR token and masks it (both encoded and decoded) before anything can print it. */
async function ecrCredentials(options) {
    const client = (0,_core_aws_js__WEBPACK_IMPORTED_MODULE_0__/* .createClient */ .UU)(_aws_sdk_client_ecr__WEBPACK_IMPORTED_MODULE_4__/* .ECRClient */ .S70, 'ECR', {
        action: _constants_js__WEBPACK_IMPORTED_MODULE_2__/* .ACTION */ .hr,
        region: options.region,
        endpoint: options.endpoint
    });
    let data;
    try {
        const response = await client.send(new _aws_sdk_client_ecr__WEBPACK_IMPORTED_MODULE_4__/* .GetAuthorizationTokenCommand */ .Eu6({}));
        data = response.authorizationData?.[0];
    }
    catch (error) {
        throw new _core_errors_js__WEBPACK_IMPORTED_MODULE_1__/* .ConfigError */ .xL(`ECR GetAuthorizationToken in ${options.region} failed: ${(0,_core_errors_js__WEBPACK_IMPORTED_MODULE_1__/* .errorMessage */ .gJ)(error)} (the role needs ecr:GetAuthorizationToken on *; see the README's IAM policy).`);
    }
    finally {
        client.destroy();
    }
    const token = data?.authorizationToken;
    if (!token)
        throw new _core_errors_js__WEBPACK_IMPORTED_MODULE_1__/* .ConfigError */ .xL(`ECR GetAuthorizationToken in ${options.region} returned no token.`);
    (0,_core_secrets_js__WEBPACK_IMPORTED_MODULE_3__/* .maskSecret */ .$)(token);
    const decoded = decodeAuthorizationToken(token);
    if (!decoded)
        throw new _core_errors_js__WEBPACK_IMPORTED_MODULE_1__/* .ConfigError */ .xL('ECR GetAuthorizationToken returned a token that is not base64 user:password.');
    (0,_core_secrets_js__WEBPACK_IMPORTED_MODULE_3__/* .maskSecret */ .$)(decoded.password);
    return {
        registry: options.registry,
        username: decoded.username,
        password: decoded.password,
        source: `ECR GetAuthorizationToken (${options.region})`,
        expiresAt: data?.expiresAt
    };
}


/***/ })

};

//# sourceMappingURL=361.index.js.map