<?php
/**
 * Plugin Name: SG page cache
 * Description: A fixture standing in for WP Super Cache's public purge function, wp_cache_clear_cache(), through which Stageguard purges page-cache plugins after a push: it notes when it was asked to clear.
 * Version: 1.0.0
 */
if ( ! function_exists( 'wp_cache_clear_cache' ) ) {
	function wp_cache_clear_cache( $blog_id = 0 ) {
		update_option( 'sg_page_cache_cleared', gmdate( 'c' ), false );
	}
}
