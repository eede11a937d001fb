package io.blastradius.support.internal;

import io.blastradius.support.ApiError;
import io.blastradius.support.ManagementToken;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.web.filter.OncePerRequestFilter;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;

/** Guards the servlet management server: every endpoint but health needs the management token. */
public class ManagementTokenServletFilter extends OncePerRequestFilter {

    private final ManagementToken token;
    private final JsonMapper json;

    public ManagementTokenServletFilter(ManagementToken token, JsonMapper json) {
        this.token = token;
        this.json = json;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        if (ManagementToken.isOpen(request.getRequestURI()) || token.accepts(request.getHeader(HttpHeaders.AUTHORIZATION))) {
            chain.doFilter(request, response);
            return;
        }
        response.setStatus(401);
        response.setHeader(HttpHeaders.WWW_AUTHENTICATE, "Bearer");
        response.setContentType(MediaType.APPLICATION_JSON_VALUE);
        json.writeValue(response.getOutputStream(), ApiError.of(ApiError.AUTHENTICATION, token.refusal()));
    }
}
