<?php
/**
 * Plugin Name: Stageguard staging guard
 * Description: Installed by Stageguard on staging copies only. Keeps visitors and search engines out, and keeps mail in.
 * Version: 1.0.0
 *
 * Staging holds a copy of a real site: it must not be seen, indexed, or send anything to real people.
 * This file is written by Stageguard when it clones live into staging and is never deployed to live.
 */

if ( ! defined( 'ABSPATH' ) ) {
	exit;
}

// Search engines: a header on every answer, on top of blog_public = 0 and a disallow-all robots.txt.
if ( ! headers_sent() ) {
	header( 'X-Robots-Tag: noindex, nofollow', true );
}
add_filter( 'pre_option_blog_public', function () {
	return '0';
} );

// QA posts comments seconds apart from one address (a site's own flow, then the default check):
// WordPress's flood throttle, meant for spammers on live, would turn the second one away.
remove_filter( 'comment_flood_filter', 'wp_throttle_comment_flood', 10 );

/**
 * The credential a request carries: Stageguard's own header (its HTTP checks), its cookie (its
 * browser sessions, local or on a Selenium Grid), or the password of HTTP basic auth (people).
 */
function stageguard_presented_credential() {
	if ( ! empty( $_SERVER['HTTP_X_STAGEGUARD_ACCESS'] ) ) {
		return (string) $_SERVER['HTTP_X_STAGEGUARD_ACCESS'];
	}
	if ( ! empty( $_COOKIE['stageguard_access'] ) ) {
		return (string) $_COOKIE['stageguard_access'];
	}
	if ( isset( $_SERVER['PHP_AUTH_PW'] ) ) {
		return (string) $_SERVER['PHP_AUTH_PW'];
	}
	$authorization = $_SERVER['HTTP_AUTHORIZATION'] ?? ( $_SERVER['REDIRECT_HTTP_AUTHORIZATION'] ?? '' );
	if ( 0 === stripos( $authorization, 'basic ' ) ) {
		$pair = base64_decode( substr( $authorization, 6 ), true );
		if ( false !== $pair && false !== strpos( $pair, ':' ) ) {
			return substr( $pair, strpos( $pair, ':' ) + 1 );
		}
	}
	return '';
}

if ( PHP_SAPI !== 'cli' ) {
	$stageguard_path = parse_url( $_SERVER['REQUEST_URI'] ?? '/', PHP_URL_PATH );
	if ( '/robots.txt' === $stageguard_path ) {
		header( 'Content-Type: text/plain; charset=utf-8' );
		echo "User-agent: *\nDisallow: /\n";
		exit;
	}
	$stageguard_expected = defined( 'STAGEGUARD_ACCESS_SHA256' ) ? STAGEGUARD_ACCESS_SHA256 : '';
	$stageguard_given    = stageguard_presented_credential();
	// Fails closed: without a configured credential nobody gets in.
	if ( '' === $stageguard_expected || '' === $stageguard_given || ! hash_equals( $stageguard_expected, hash( 'sha256', $stageguard_given ) ) ) {
		status_header( 401 );
		header( 'WWW-Authenticate: Basic realm="Staging site (Stageguard)"' );
		header( 'Content-Type: text/plain; charset=utf-8' );
		header( 'Cache-Control: no-store' );
		echo "This is a private staging copy. Ask the site's operator for access.\n";
		exit;
	}
}

// The state Stageguard keeps for this copy (under test, approved, stale, released), as a bar for people. Shown only to
// those who came in with the password (basic auth; the access check above let them in), never to Stageguard's own
// header or browser cookie: QA compares pages without it.
if ( PHP_SAPI !== 'cli' && empty( $_SERVER['HTTP_X_STAGEGUARD_ACCESS'] ) && empty( $_COOKIE['stageguard_access'] ) && '' !== stageguard_presented_credential() ) {
	$stageguard_state = json_decode( (string) @file_get_contents( __DIR__ . '/stageguard-state.json' ), true );
	if ( is_array( $stageguard_state ) && ! empty( $stageguard_state['text'] ) ) {
		$stageguard_bar = function () use ( $stageguard_state ) {
			$colours = array( 'APPROVED' => '#1a7f37', 'RELEASED' => '#1a7f37', 'STALE' => '#b35900', 'UNDER_TEST' => '#0b5cad' );
			$colour  = $colours[ $stageguard_state['kind'] ?? '' ] ?? '#0b5cad';
			echo '<div id="stageguard-state" class="stageguard-state-' . esc_attr( strtolower( (string) ( $stageguard_state['kind'] ?? '' ) ) )
				. '" style="position:fixed;bottom:0;left:0;right:0;z-index:99999;padding:6px 12px;font:14px/1.4 sans-serif;color:#fff;background:'
				. esc_attr( $colour ) . '">Staging copy (Stageguard): ' . esc_html( (string) $stageguard_state['text'] ) . '</div>';
		};
		add_action( 'wp_footer', $stageguard_bar );
		add_action( 'admin_footer', $stageguard_bar );
	}
}

// Mail: stored for QA to read, never handed to a mail server.
add_filter( 'pre_wp_mail', function ( $short_circuit, $atts ) {
	global $wpdb;
	$table = $wpdb->prefix . 'stageguard_mail';
	$wpdb->query( "CREATE TABLE IF NOT EXISTS `$table` (
		id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
		captured_at DATETIME NOT NULL,
		recipients TEXT NOT NULL,
		subject TEXT NOT NULL,
		message LONGTEXT NOT NULL,
		headers TEXT NOT NULL
	) " . $wpdb->get_charset_collate() );
	$flatten = function ( $value ) {
		return is_array( $value ) ? implode( "\n", $value ) : (string) $value;
	};
	$wpdb->insert( $table, array(
		'captured_at' => gmdate( 'Y-m-d H:i:s' ),
		'recipients'  => $flatten( $atts['to'] ?? '' ),
		'subject'     => (string) ( $atts['subject'] ?? '' ),
		'message'     => (string) ( $atts['message'] ?? '' ),
		'headers'     => $flatten( $atts['headers'] ?? '' ),
	) );
	return true;
}, PHP_INT_MAX, 2 );

// Updates: staging changes only through Stageguard's change set. With outgoing HTTP off, WordPress's
// own update checks would fail and log a warning on every admin screen, burying what QA looks for;
// they are answered here with "nothing new" and never leave the machine.
if ( defined( 'WP_HTTP_BLOCK_EXTERNAL' ) && WP_HTTP_BLOCK_EXTERNAL ) {
	add_filter( 'pre_http_request', function ( $pre, $args, $url ) {
		// only the update checks warn when they fail; other calls (browser and PHP version hints) fail quietly
		if ( 'api.wordpress.org' !== wp_parse_url( $url, PHP_URL_HOST ) || ! preg_match( '#/(update|version)-check/#', $url ) ) {
			return $pre;
		}
		$kind = false !== strpos( $url, '/themes/' ) ? 'themes' : 'plugins';
		return array(
			'headers'  => array(),
			'body'     => wp_json_encode( array( $kind => array(), 'translations' => array(), 'no_update' => array() ) ),
			'response' => array( 'code' => 200, 'message' => 'OK' ),
			'cookies'  => array(),
			'filename' => null,
		);
	}, 10, 3 );
}
